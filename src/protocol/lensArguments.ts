/**
 * What a code lens's command carries back to the extension: JSON-serialisable, so any LSP client
 * can pass it to the command as it came.
 */

/** `index` is the invocation's position in an array file (0 for a file holding one object). */
export interface InvocationRef {
  uri: string;
  index: number;
}
