/** Shared fixtures for engine tests: a request builder and an environment isolated from ~/.aws. */
import * as path from 'node:path';
import type { InvocationRequest } from '../../server/src/engine/types';

/** A minimal valid request; tests override what they exercise. */
export function invocationRequest(overrides: Partial<InvocationRequest> = {}, payload = '{"hello": "world"}'): InvocationRequest {
  return {
    index: 0,
    functionName: 'my-function',
    invocationType: 'RequestResponse',
    logType: 'None',
    payload: Buffer.from(payload, 'utf8'),
    payloadSource: 'inline',
    ...overrides,
  };
}

/**
 * An environment with the given keys and region and no trace of the developer's own AWS files
 * or instance metadata: HOME and both shared files point into `home`.
 */
export function isolatedAwsEnv(home: string, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: path.join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-credentials'),
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  if (credentials.sessionToken !== undefined) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  return env;
}
