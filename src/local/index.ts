/**
 * The local Lambda endpoint, for the CLI (`lambda-invoke serve`), the extension's
 * "Start Local Endpoint" command and `npm start`: start it on a folder, get its URL, close it.
 * Also exported: the configuration's file name and error type, for callers that show them.
 */
export { startLocalEndpoint, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_WORKERS } from './http/endpoint';
export type { LocalEndpoint, LocalEndpointOptions } from './http/endpoint';
export { CONFIG_FILE_NAME, LocalConfigError } from './config/config';
export type { ConfigProblem } from './config/config';
export type { ExpectedCredentials } from './http/signature';
