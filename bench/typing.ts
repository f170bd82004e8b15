/**
 * How the benchmarks type into the 6 MB document: where, what, and how many keystrokes. Shared by
 * the lsp section (ours against the floor server) and the account section (account facts on and
 * off), so both type the same characters at the same place.
 */
import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** Keystrokes sent before any is counted (JIT and caches warm up), then the counted ones. */
export const WARMUP_EDITS = 5;
export const MEASURED_EDITS = 41;
/** Where the typing goes: the end of this text, in a record in the second half of the payload. */
export const TYPING_ANCHOR = '"notes": "Leave at the door';
/** What is typed, one character per edit (cycled); ASCII, so each keystroke is one UTF-16 unit. */
export const TYPED = ', or hand it to the neighbour at number 12. Thanks!';

/** Where typing starts in `text`: the end of TYPING_ANCHOR in its second half. */
export function typingStart(uri: string, text: string): Position {
  const anchor = text.indexOf(TYPING_ANCHOR, Math.floor(text.length / 2));
  if (anchor < 0) throw new Error(`the generated document has no ${TYPING_ANCHOR} in its second half`);
  return TextDocument.create(uri, 'lambda-invoke', 1, text).positionAt(anchor + TYPING_ANCHOR.length);
}

/** Keystroke `i` (from 0): one character inserted after the previous ones, as an incremental change. */
export function keystroke(start: Position, i: number): TextDocumentContentChangeEvent {
  const at = { line: start.line, character: start.character + i };
  return { range: { start: at, end: at }, text: TYPED[i % TYPED.length]! };
}
