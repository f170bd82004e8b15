/**
 * The invoke engine's public face, bundled on its own as dist/engine.js so the extension
 * loads it only when a command needs it (activation stays light) and the CLI shares it.
 */
export { invoke } from './invoke';
export { buildHttpRequest, signRequest } from './httpRequest';
export { closeConnections } from './transport';
export { prettyJson } from './invocationResult';
export { listProfiles, listRegions, regionDescription, resolveTarget } from './resolve';
export { checkFile, endpointRefusedError, formatDiagnostic, needsEndpointConfirmation, prepare, runInvocation, selectInvocation, toRequest } from './run';
export type { CheckedFile, FileInput, InvokeFailure, RunInput, RunOutcome, Selector } from './run';
export { renderError, renderResult } from './render';
export { toAwsCliCommand } from './awsCliCommand';
export * from './types';
export { DEFAULT_HISTORY_LIMITS, HistoryStore, historyRecord, saveResult, withLog } from './history';
export type { BlobName, HistoryBlobs, HistoryEntry, HistoryLimits, RecordInput, RecordedLog } from './history';
export { findReport } from '../lambda/reportLine';
export type { ReportFacts } from '../lambda/reportLine';
