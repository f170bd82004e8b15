/**
 * `lambda-invoke run --logs`: after the call, the invocation's whole log from CloudWatch Logs,
 * found and polled for exactly as the editor does (the log group from the function's
 * LoggingConfig through dist/catalog.js, the lines through dist/logs.js). Both bundles are
 * loaded here only, so a `run` without --logs never parses either AWS SDK client.
 */
import type * as Catalog from '../engine/catalog/index';
import type * as Logs from '../engine/logs/index';
import type { InvocationLog } from '../engine/logs/types';
import type { RunOutcome } from '../engine/run';
import { parseFunctionName } from '../lambda/functionName';
import type { Io } from './io';

export interface WholeLog {
  log?: InvocationLog;
  /** Why there is no whole log (or only part of it), in a sentence with what to do. */
  problem?: string;
}

/** The whole log of the outcome's invocation; never throws (a failure is a `problem`, and the tail stays). */
export async function fetchWholeLog(outcome: RunOutcome, sentAt: number, io: Io): Promise<WholeLog> {
  const { request, result, target } = outcome;
  if (result.requestId === undefined) return { problem: 'Lambda returned no request id, so the log cannot be found.' };
  if (request.invocationType === 'DryRun') return { problem: 'A dry run does not run the function: there is no log.' };
  let catalog: typeof Catalog;
  let logs: typeof Logs;
  try {
    [catalog, logs] = await Promise.all([import('../engine/catalog/index.js'), import('../engine/logs/index.js')]);
  } catch (e) {
    return { problem: `the CloudWatch Logs client could not be loaded (${e instanceof Error ? e.message : String(e)}). Reinstall, or rebuild with \`npm run build\`.` };
  }
  try {
    const location = await catalog.functionLogLocation(target, request.functionName, request.qualifier, io.signal);
    const name = parseFunctionName(request.functionName)?.name ?? request.functionName;
    const log = await logs.fetchInvocationLog(
      { target, functionName: name, requestId: result.requestId, sentAt, location, env: io.env },
      { ...(io.signal ? { signal: io.signal } : {}), ...(io.delay ? { delay: io.delay } : {}) },
    );
    return log.complete ? { log } : { log, problem: log.incomplete ?? 'The whole log did not arrive in time.' };
  } catch (e) {
    const hint = (e as { hint?: string }).hint;
    return { problem: `${e instanceof Error ? e.message : String(e)}${hint ? ` ${hint}` : ''}` };
  }
}
