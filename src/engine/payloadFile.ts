/**
 * The engine's payload-file reader: each file is read once, checked, and the very bytes that
 * were checked are the ones sent. A file that changes (or is swapped for a symlink) between the
 * check and the send cannot slip other bytes into the request, and a 6 MB file is not read twice.
 */
import * as fs from 'node:fs';
import { type PayloadFileInfo, type PayloadFileReader, classifyPayload, missingPayload } from '../language/payloadFiles';

export class PayloadSnapshot implements PayloadFileReader {
  private readonly read_ = new Map<string, { info: PayloadFileInfo; bytes?: Buffer }>();
  /** Remembered too: the send must follow the same link to the same file as the check did. */
  private readonly real = new Map<string, string | undefined>();

  realPath(file: string): string | undefined {
    if (!this.real.has(file)) {
      let real: string | undefined;
      try {
        real = fs.realpathSync.native(file);
      } catch {
        real = undefined;
      }
      this.real.set(file, real);
    }
    return this.real.get(file);
  }

  read(file: string): PayloadFileInfo {
    return this.load(file).info;
  }

  /** The bytes `read` judged; undefined when the file could not be read then. */
  bytes(file: string): Buffer | undefined {
    return this.load(file).bytes;
  }

  private load(file: string): { info: PayloadFileInfo; bytes?: Buffer } {
    let entry = this.read_.get(file);
    if (entry === undefined) {
      entry = readOnce(file);
      this.read_.set(file, entry);
    }
    return entry;
  }
}

function readOnce(file: string): { info: PayloadFileInfo; bytes?: Buffer } {
  let bytes: Buffer;
  try {
    if (!fs.statSync(file).isFile()) return { info: { kind: 'missing', reason: 'not a file' } };
    bytes = fs.readFileSync(file);
  } catch (e) {
    return { info: missingPayload(e) };
  }
  return { info: classifyPayload(bytes), bytes };
}
