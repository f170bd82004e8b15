/**
 * Where a function's log goes, for reading an invocation's whole log: its LoggingConfig
 * (GetFunctionConfiguration of the qualifier that was invoked, since a version can log elsewhere
 * than $LATEST), else Lambda's default `/aws/lambda/<name>` in text format. Never fails for want
 * of the configuration: the default is the best guess, and `problem` says why it is a guess.
 */
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { parseFunctionName } from '../../lambda/functionName';
import { recordingSecrets } from '../resolve/sdkClients';
import type { LogLocation } from '../logs/types';
import type { ResolvedTarget } from '../types';
import { controlPlaneClient } from './controlPlane';
import { type ReadPurpose, lookupFailure } from './lookupFailures';

const CONFIGURATION_READ: ReadPurpose = {
  what: "read the function's logging configuration",
  actions: 'lambda:GetFunctionConfiguration',
  afterThrottle: "Lambda's default log group is used instead.",
};

/** Lambda's log group for a function that names none of its own. */
export function defaultLogGroup(functionName: string): string {
  return `/aws/lambda/${parseFunctionName(functionName)?.name ?? functionName}`;
}

/**
 * The log group and format of `functionName` (a name, partial or full ARN) at `qualifier`.
 * Rejects only when `signal` aborted.
 */
export async function functionLogLocation(target: ResolvedTarget, functionName: string, qualifier: string | undefined, signal?: AbortSignal): Promise<LogLocation> {
  const { target: sdkTarget, secrets } = recordingSecrets(target);
  const client = controlPlaneClient(sdkTarget);
  try {
    const answer = await client.send(new GetFunctionConfigurationCommand({ FunctionName: functionName, Qualifier: qualifier || undefined }), { abortSignal: signal });
    const logging = answer.LoggingConfig;
    return {
      logGroup: logging?.LogGroup || defaultLogGroup(answer.FunctionName ?? functionName),
      logFormat: logging?.LogFormat === 'JSON' ? 'JSON' : 'Text',
      source: 'configuration',
    };
  } catch (error) {
    if (signal?.aborted) throw error;
    const why = lookupFailure(error, target, secrets, CONFIGURATION_READ).message ?? 'The configuration could not be read.';
    return { logGroup: defaultLogGroup(functionName), logFormat: 'Text', source: 'default', problem: `${why} Lambda's default log group is assumed.` };
  } finally {
    client.destroy();
  }
}
