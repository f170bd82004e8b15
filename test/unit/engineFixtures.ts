/** Shared fixtures for engine tests: requests, targets, a recording delay, failures, an environment isolated from ~/.aws. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { type InvocationRequest, InvokeError, type ResolvedTarget } from '../../src/engine/types';
import { TEST_CREDENTIALS } from './recordingEndpoint';

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

/** A resolved target on `endpoint`, signing with the test credentials. */
export function testTarget(endpoint: URL, region = 'us-west-2'): ResolvedTarget {
  return {
    region,
    regionSource: 'test',
    profile: 'test',
    profileSource: 'test',
    endpoint,
    endpointSource: 'test',
    isDefaultEndpoint: false,
    partition: 'aws',
    credentials: () => Promise.resolve(TEST_CREDENTIALS),
  };
}

/** A delay that records what the engine asked for and returns at once: no test waits on a clock. */
export function recordingDelay(): { delays: number[]; delay: (ms: number) => Promise<void> } {
  const delays: number[] = [];
  return { delays, delay: (ms) => (delays.push(ms), Promise.resolve()) };
}

/** The InvokeError a promise rejects with; fails the test when it resolves or throws anything else. */
export async function invokeFailure(promise: Promise<unknown>): Promise<InvokeError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof InvokeError, `expected an InvokeError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the invocation to fail');
}
