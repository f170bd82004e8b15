/**
 * `payloadFile`: where a reference points and what the file holds. Reading goes through a small
 * interface so the language service stays pure and tests can hand in files: the language server
 * passes a caching reader (src/server/payloadFileReader.ts), the engine one that keeps the bytes
 * it checked so that exactly those are sent (src/engine/payloadFile.ts).
 */
import * as path from 'node:path';
import { isJsonText } from './jsonText';

export type PayloadFileInfo =
  | { kind: 'missing'; reason: string }
  | { kind: 'not-json'; detail: string; bytes: number }
  | { kind: 'json'; bytes: number };

export interface PayloadFileReader {
  /** The real path after following symlinks, or undefined when nothing is there. */
  realPath(file: string): string | undefined;
  read(file: string): PayloadFileInfo;
}

/** Resolves a `payloadFile` value against the folder of the file that names it. */
export function resolvePayloadPath(documentPath: string, reference: string): string {
  return path.resolve(path.dirname(documentPath), reference);
}

/** What a payload file's bytes are to Lambda: JSON (with its size) or not, and why not. */
export function classifyPayload(bytes: Uint8Array): PayloadFileInfo {
  // The byte check is several times faster than decoding and parsing a large file; JSON.parse
  // still has the last word, and says what is wrong.
  if (isJsonText(bytes)) return { kind: 'json', bytes: bytes.length };
  try {
    JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return { kind: 'json', bytes: bytes.length };
  } catch (e) {
    return { kind: 'not-json', detail: e instanceof Error ? e.message : String(e), bytes: bytes.length };
  }
}

/** The `missing` answer for a failed stat or read, naming the error code. */
export function missingPayload(error: unknown): PayloadFileInfo {
  return { kind: 'missing', reason: (error as NodeJS.ErrnoException).code ?? 'unreadable' };
}
