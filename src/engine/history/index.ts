/** The invocation history and saved results, as one import for the engine's public face. */
export { historyRecord, withLog, type RecordInput, type RecordedLog } from './record';
export { HistoryStore } from './historyStore';
export { saveResult } from './savedResult';
export * from './types';
