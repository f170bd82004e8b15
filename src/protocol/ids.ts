/**
 * The ids every side shares: the language id, command, setting and context-key ids, output
 * channel names, diagnostic codes and the local endpoint's file name and port. Each is declared
 * here once and imported by the extension (src/client), the language server, the CLI and the
 * local endpoint alike.
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
  /** The Lambda Functions view's title button; also drops every cached account fact. */
  refreshFunctions: 'lambdaInvoke.refreshFunctions',
  /** A function of the Lambda Functions view: a new invoke file that calls it. */
  newInvokeFileForFunction: 'lambdaInvoke.newInvokeFileForFunction',
  copyFunctionArn: 'lambdaInvoke.copyFunctionArn',
  /** Runs the last invocation again (palette, and the result tab's title bar). */
  rerunLast: 'lambdaInvoke.rerunLast',
  /** A result tab's or history entry's invocation, run again from its file. */
  rerun: 'lambdaInvoke.rerun',
  /** Opens a result's log beside it. */
  showLog: 'lambdaInvoke.showLog',
  /** Fetches a result's whole log from CloudWatch Logs (automatic after synchronous calls, on demand for Event calls). */
  fetchLog: 'lambdaInvoke.fetchLog',
  cancelLogFetch: 'lambdaInvoke.cancelLogFetch',
  showDurableExecution: 'lambdaInvoke.showDurableExecution',
  /** Diffs a result's response payload with the one before it. */
  compareWithPrevious: 'lambdaInvoke.compareWithPrevious',
  /** Diffs a result's response payload with another recorded one, picked from a list. */
  compareWith: 'lambdaInvoke.compareWith',
  openHistoryEntry: 'lambdaInvoke.openHistoryEntry',
  deleteHistoryEntry: 'lambdaInvoke.deleteHistoryEntry',
  clearHistory: 'lambdaInvoke.clearHistory',
} as const;

/** URI schemes of the read-only documents the extension provides. */
export const DocumentSchemes = {
  /** A result tab: the response payload of an invocation (one per file and index). */
  result: 'lambda-invoke-result',
  /** The log of a result. */
  log: 'lambda-invoke-log',
  /** A recorded response payload, for the diff editor. */
  recorded: 'lambda-invoke-recorded',
  /** A durable execution's status and history. */
  durable: 'lambda-invoke-durable',
} as const;

/** Views the extension contributes. */
export const ViewIds = {
  functions: 'lambdaInvoke.functions',
  history: 'lambdaInvoke.history',
} as const;

/** Setting ids (`contributes.configuration`). */
export const SettingIds = {
  section: 'lambdaInvoke',
  region: 'lambdaInvoke.region',
  profile: 'lambdaInvoke.profile',
  endpoint: 'lambdaInvoke.endpoint',
  traceServer: 'lambdaInvoke.trace.server',
  localEndpointPort: 'lambdaInvoke.localEndpoint.port',
  accountLookups: 'lambdaInvoke.accountLookups',
  /** `auto`: fetch the whole log after each synchronous call; `onDemand`: only on "Fetch Log". */
  resultsFullLog: 'lambdaInvoke.results.fullLog',
  historyKeepPayloads: 'lambdaInvoke.history.keepPayloads',
  historyMaxPerInvocation: 'lambdaInvoke.history.maxPerInvocation',
  historyMaxSizeMb: 'lambdaInvoke.history.maxSizeMB',
} as const;

/** `when`-clause context keys the extension sets (`setContext`); package.json's `when` clauses name them. */
export const ContextKeys = {
  /** True while the built-in local endpoint that this window started is running. */
  localEndpointRunning: 'lambdaInvoke.localEndpointRunning',
  /** True once the extension is active (an invoke file was opened) and account lookups are on: shows the Lambda Functions view. */
  functionsViewEnabled: 'lambdaInvoke.functionsViewEnabled',
  /** True once the extension is active: shows the Lambda Invoke History view. */
  historyViewEnabled: 'lambdaInvoke.historyViewEnabled',
} as const;

/** The output channels the extension creates, by the names users see in the Output panel. */
export const OutputChannels = {
  invocations: 'Lambda Invoke',
  languageServer: 'Lambda Invoke Language Server',
  localEndpoint: 'Lambda Invoke Local Endpoint',
} as const;

/** The built-in local endpoint: the file that declares its functions, and where it listens unless told. */
export const LocalEndpointDefaults = {
  configFileName: 'lambda-invoke.local.json',
  port: 3001,
  host: '127.0.0.1',
} as const;

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
  // Checked against the user's account (src/language/account.ts), once the editor or the CLI has looked it up.
  functionNotFound: 'function-not-found',
  qualifierNotFound: 'qualifier-not-found',
  tenantIdRequired: 'tenant-id-required',
  tenantIdNotAccepted: 'tenant-id-not-accepted',
  durableRequiresQualifier: 'durable-requires-qualifier',
  functionNotActive: 'function-not-active',
} as const;

export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];
