/**
 * The CloudWatch Logs reader's public face, bundled on its own as dist/logs.js: the extension
 * requires it when a result's whole log is asked for (src/client/accountBundles.ts), the CLI
 * loads it for `run --logs` only. It holds the AWS SDK's CloudWatch Logs client, which every
 * other bundle leaves out (scripts/build.mjs checks).
 */
export { DEFAULT_MAX_WAIT_MS, POLL_BACKOFF_MS, fetchInvocationLog } from './fetchLog';
export { LOGS_ENDPOINT_VARIABLE, type LogsEndpoint, logsEndpoint } from './logsEndpoint';
export { type InvocationLog, type InvocationLogRequest, LogFetchError, type LogFetchErrorKind, type LogFetchOptions, type LogFormat, type LogLocation } from './types';
