/**
 * The local Lambda endpoint: start it on a folder, get its URL and functions, close it. Its one
 * caller in the product is `lambda-invoke serve` (which the extension's Start Local Endpoint and
 * `npm start` run); scripts/build.mjs bundles this module on its own as dist/localEndpoint.js,
 * which dist/cli.js loads for `serve` only. Also exported: the configuration's file name and
 * error type, for callers that show them.
 */
export { startLocalEndpoint, DEFAULT_MAX_WORKERS } from './http/endpoint';
export type { LocalEndpoint, LocalEndpointOptions } from './http/endpoint';
export { CONFIG_FILE_NAME, LocalConfigError } from './config/config';
export type { ConfigProblem } from './config/config';
export type { ExpectedCredentials } from './http/signature';
