/**
 * `payloadFile`: where a reference points, whether it stays inside the workspace, and what
 * the file holds. Reading goes through a small interface so the language service stays pure
 * and tests can hand in files; the server passes `nodePayloadFileReader`.
 */
import * as fs from 'node:fs';
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

/** Reads payload files from disk, remembering each one until its size or mtime changes. */
export class NodePayloadFileReader implements PayloadFileReader {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; info: PayloadFileInfo }>();

  realPath(file: string): string | undefined {
    try {
      return fs.realpathSync.native(file);
    } catch {
      return undefined;
    }
  }

  read(file: string): PayloadFileInfo {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch (e) {
      this.cache.delete(file);
      return { kind: 'missing', reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' };
    }
    if (!stat.isFile()) return { kind: 'missing', reason: 'not a file' };
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.info;
    const info = readInfo(file);
    this.cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, info });
    return info;
  }

  /** Forgets a file, when a watcher reports it changed. */
  forget(file: string): void {
    this.cache.delete(file);
  }
}

function readInfo(file: string): PayloadFileInfo {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { kind: 'missing', reason: (e as NodeJS.ErrnoException).code ?? 'unreadable' };
  }
  // The byte check is several times faster than decoding and parsing a large file; JSON.parse
  // still has the last word, and says what is wrong.
  if (isJsonText(bytes)) return { kind: 'json', bytes: bytes.length };
  try {
    JSON.parse(bytes.toString('utf8'));
    return { kind: 'json', bytes: bytes.length };
  } catch (e) {
    return { kind: 'not-json', detail: e instanceof Error ? e.message : String(e), bytes: bytes.length };
  }
}
