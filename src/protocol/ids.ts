/**
 * The protocol shared by the extension (client/) and the language server (server/):
 * language id, command ids, setting ids, diagnostic codes and the arguments lenses carry.
 * Every id is declared here once; both sides import it.
 */

export const LANGUAGE_ID = 'lambda-invoke';
export const DIAGNOSTIC_SOURCE = 'lambda-invoke';

/** Command ids contributed by the extension and used by the server's code lenses. */
export const CommandIds = {
  invoke: 'lambdaInvoke.invoke',
  dryRun: 'lambdaInvoke.dryRun',
  showOutput: 'lambdaInvoke.showOutput',
  selectProfile: 'lambdaInvoke.selectProfile',
  selectRegion: 'lambdaInvoke.selectRegion',
  /** The status bar item's: a small pick between Select Profile and Select Region. */
  selectProfileOrRegion: 'lambdaInvoke.selectProfileOrRegion',
  newInvokeFile: 'lambdaInvoke.newInvokeFile',
  copyAsAwsCliCommand: 'lambdaInvoke.copyAsAwsCliCommand',
  startLocalEndpoint: 'lambdaInvoke.startLocalEndpoint',
  stopLocalEndpoint: 'lambdaInvoke.stopLocalEndpoint',
} as const;

/** Setting ids (`contributes.configuration`). */
export const SettingIds = {
  section: 'lambdaInvoke',
  region: 'lambdaInvoke.region',
  profile: 'lambdaInvoke.profile',
  endpoint: 'lambdaInvoke.endpoint',
  traceServer: 'lambdaInvoke.trace.server',
  localEndpointPort: 'lambdaInvoke.localEndpoint.port',
} as const;

/** The settings the server reads through `workspace/configuration` (section `lambdaInvoke`). */
export interface ServerSettings {
  region?: string;
  profile?: string;
  endpoint?: string;
}

/** Stable diagnostic codes. Users may filter on them; never rename one. */
export const DiagnosticCodes = {
  jsonSyntax: 'json-syntax',
  schema: 'schema',
  functionNameInvalid: 'function-name-invalid',
  functionNameTooLong: 'function-name-too-long',
  qualifierInvalid: 'qualifier-invalid',
  qualifierConflict: 'qualifier-conflict',
  regionMismatch: 'region-mismatch',
  payloadTooLarge: 'payload-too-large',
  payloadConflict: 'payload-conflict',
  payloadFileMissing: 'payload-file-missing',
  payloadFileOutsideWorkspace: 'payload-file-outside-workspace',
  payloadFileNotJson: 'payload-file-not-json',
  clientContextNotBase64: 'client-context-not-base64',
  clientContextTooLarge: 'client-context-too-large',
  clientContextNotObject: 'client-context-not-object',
  clientContextUnknownKey: 'client-context-unknown-key',
  asyncIgnoresClientContext: 'async-ignores-client-context',
  asyncIgnoresLogTail: 'async-ignores-log-tail',
  tenantIdInvalid: 'tenant-id-invalid',
  durableExecutionNameInvalid: 'durable-execution-name-invalid',
  endpointInvalid: 'endpoint-invalid',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

/**
 * What a code lens's command carries: JSON-serialisable, so any LSP client can pass it back.
 * `index` is the invocation's position in an array file (0 for a file holding one object).
 */
export interface InvocationRef {
  uri: string;
  index: number;
}
