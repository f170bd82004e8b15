/**
 * A result saved to a folder a user chose (`lambda-invoke run --save DIR`, the result view's
 * Save): the response payload byte for byte under a name that says how to open it, the record
 * as metadata.json, and the log. Nothing is re-serialised, so 12345678901234567890 stays intact.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { prettyJson } from '../invocationResult';
import type { HistoryBlobs, HistoryEntry } from './types';

export const SAVED_RESULT_KIND = 'lambda-invoke.result';
export const SAVED_RESULT_VERSION = 1;

/** Writes what there is of the result into `dir` (created if needed); the paths written, in order. */
export async function saveResult(dir: string, entry: HistoryEntry, blobs: HistoryBlobs): Promise<string[]> {
  await fs.mkdir(dir, { recursive: true });
  const files: [name: string, data: string | Uint8Array][] = [];
  if (blobs.response !== undefined && blobs.response.byteLength > 0) files.push([responseFileName(blobs.response, entry.response?.json), blobs.response]);
  files.push(['metadata.json', `${JSON.stringify({ kind: SAVED_RESULT_KIND, version: SAVED_RESULT_VERSION, ...entry }, null, 2)}\n`]);
  if (blobs.log !== undefined) files.push(['log.txt', blobs.log]);
  const written: string[] = [];
  for (const [name, data] of files) {
    const file = path.join(dir, name);
    await fs.writeFile(file, data);
    written.push(file);
  }
  return written;
}

/** `response.json` for JSON, `response.txt` for other text, `response.bin` for bytes that are not UTF-8. */
export function responseFileName(payload: Uint8Array, json?: boolean): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(payload);
  } catch {
    return 'response.bin';
  }
  return (json ?? prettyJson(text) !== undefined) ? 'response.json' : 'response.txt';
}
