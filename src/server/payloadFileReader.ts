/**
 * The language server's payload-file reader: reads from disk and remembers each file's verdict
 * until its size or mtime changes, so a keystroke never re-reads a 6 MB payload file. The
 * server's file watcher calls `forget` when a file changes.
 */
import * as fs from 'node:fs';
import { type PayloadFileInfo, type PayloadFileReader, classifyPayload, missingPayload } from '../language/payloadFiles';

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
      return missingPayload(e);
    }
    if (!stat.isFile()) return { kind: 'missing', reason: 'not a file' };
    const cached = this.cache.get(file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.info;
    let info: PayloadFileInfo;
    try {
      info = classifyPayload(fs.readFileSync(file));
    } catch (e) {
      info = missingPayload(e);
    }
    this.cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, info });
    return info;
  }

  /** Forgets a file, when a watcher reports it changed. */
  forget(file: string): void {
    this.cache.delete(file);
  }
}
