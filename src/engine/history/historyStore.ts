/**
 * The bounded history on disk: `dir/index.json` lists the entries, and `dir/<id>/` holds each
 * one's bytes (`request.bin`, `response.bin`, `log.txt`). Every file is written whole to a
 * temporary name and renamed, so a crash or a second window never leaves half an index; every
 * change goes through one queue, so concurrent adds cannot lose each other. A broken or foreign
 * index is moved aside, never thrown: the history is a convenience and invoking must work
 * without it. Bounded per invocation and in bytes, oldest first.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { type RecordedLog, withLog } from './record';
import { type BlobName, DEFAULT_HISTORY_LIMITS, type HistoryBlobs, type HistoryEntry, type HistoryLimits } from './types';

const INDEX_FILE = 'index.json';
const INDEX_KIND = 'lambda-invoke.history';
const INDEX_VERSION = 1;

/** Where each blob lives inside an entry's folder. */
const BLOB_FILES: Readonly<Record<BlobName, string>> = { request: 'request.bin', response: 'response.bin', log: 'log.txt' };
const BLOB_NAMES = Object.keys(BLOB_FILES) as BlobName[];

/**
 * An id is also a folder name: only what newEntryId makes is accepted, so an index written by
 * someone else cannot point a delete at `../..`.
 */
const ID_PATTERN = /^[0-9a-z]{1,16}-[0-9a-f]{1,32}$/;

type BlobSizes = Partial<Record<BlobName, number>>;

/** One line of the index: the entry and the size of each blob stored beside it. */
interface IndexRecord {
  entry: HistoryEntry;
  sizes: BlobSizes;
}

interface IndexFile {
  kind: typeof INDEX_KIND;
  version: typeof INDEX_VERSION;
  /** Oldest first: the order entries are dropped in. */
  records: IndexRecord[];
}

/** Bytes of the index around its records: `{"kind":…,"version":1,"records":[]}`. */
const INDEX_OVERHEAD = Buffer.byteLength(JSON.stringify({ kind: INDEX_KIND, version: INDEX_VERSION, records: [] } satisfies IndexFile));

export class HistoryStore {
  private records: IndexRecord[] = [];
  private limits: HistoryLimits;
  private queue: Promise<unknown> = Promise.resolve();

  /** An empty store over `dir`, which it does not read: use `HistoryStore.open`. */
  constructor(
    private readonly dir: string,
    limits: Partial<HistoryLimits> = {},
  ) {
    this.limits = { ...DEFAULT_HISTORY_LIMITS, ...definedLimits(limits) };
  }

  /**
   * Opens (creating) the history in `dir`. A broken or foreign index.json is renamed
   * `index.broken-<time>.json` and the store starts empty, with a warning that says so.
   */
  static async open(dir: string, limits: Partial<HistoryLimits> = {}): Promise<{ store: HistoryStore; warning?: string }> {
    await fs.mkdir(dir, { recursive: true });
    const read = await readIndex(dir);
    const store = new HistoryStore(dir, limits);
    store.records = read.records;
    await store.sweepOrphans();
    return read.warning === undefined ? { store } : { store, warning: read.warning };
  }

  /** Bytes the history takes: the index and every blob. */
  get totalBytes(): number {
    return totalOf(this.records);
  }

  /** Every entry, newest first. */
  list(): HistoryEntry[] {
    return this.records.map((r) => r.entry).reverse();
  }

  get(id: string): HistoryEntry | undefined {
    return this.records.find((r) => r.entry.id === id)?.entry;
  }

  /** The entries of one invocation (file and index), newest first. */
  forInvocation(file: string, index: number): HistoryEntry[] {
    return this.list().filter((e) => sameInvocation(e, file, index));
  }

  /** A blob of an entry, or undefined when the entry or that blob is not kept. */
  async readBlob(id: string, name: BlobName): Promise<Buffer | undefined> {
    const record = this.records.find((r) => r.entry.id === id);
    if (record?.sizes[name] === undefined) return undefined;
    try {
      return await fs.readFile(this.blobPath(id, name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * Stores an entry and its blobs, then drops the oldest entries beyond the limits. Returns the
   * entry as stored: one bigger than the whole budget is kept without its blobs, and says so.
   */
  add(entry: HistoryEntry, blobs: HistoryBlobs): Promise<HistoryEntry> {
    return this.serialised(async () => {
      if (!ID_PATTERN.test(entry.id)) throw new Error(`Not a history entry id: ${JSON.stringify(entry.id)}.`);
      let record: IndexRecord = { entry, sizes: sizesOf(blobs) };
      let kept = blobs;
      if (recordBytes(record) + blobBytes(record.sizes) + INDEX_OVERHEAD > this.limits.maxBytes) {
        // Kept without its bytes: the entry still says what was sent and what came back.
        record = { entry: { ...entry, request: { ...entry.request, kept: false }, blobsDropped: true }, sizes: {} };
        kept = {};
      }
      const others = this.records.filter((r) => r.entry.id !== entry.id);
      await this.writeBlobs(entry.id, kept);
      try {
        await this.commit([...others, record]);
      } catch (error) {
        await this.removeFolder(entry.id);
        throw error;
      }
      return record.entry;
    });
  }

  /** Replaces an entry, and any blob given, then applies the limits again (a whole log can be large). */
  update(entry: HistoryEntry, blobs: Partial<HistoryBlobs> = {}): Promise<HistoryEntry | undefined> {
    return this.serialised(() => this.replace(entry.id, () => entry, blobs));
  }

  /**
   * Keeps a log that arrived after the entry (the whole log from CloudWatch Logs): its text
   * beside the entry, its facts and REPORT figures in it. The entry as stored, or undefined when
   * it is no longer kept.
   */
  setLog(id: string, log: RecordedLog): Promise<HistoryEntry | undefined> {
    return this.serialised(() => this.replace(id, (entry) => withLog(entry, log), { log: log.text }));
  }

  /** Changes one entry inside the queue, so the change applies to the entry as it is now. */
  private async replace(id: string, change: (entry: HistoryEntry) => HistoryEntry, blobs: Partial<HistoryBlobs>): Promise<HistoryEntry | undefined> {
    const at = this.records.findIndex((r) => r.entry.id === id);
    if (at < 0) return undefined;
    const current = this.records[at]!;
    // An entry kept without its blobs stays without them: it alone exceeded the budget.
    const kept = current.entry.blobsDropped === true ? {} : blobs;
    const entry = { ...change(current.entry), id };
    await this.writeBlobs(id, kept);
    const records = [...this.records];
    records[at] = { entry, sizes: { ...current.sizes, ...sizesOf(kept) } };
    await this.commit(records);
    return this.get(id);
  }

  delete(id: string): Promise<void> {
    return this.serialised(async () => {
      if (!this.records.some((r) => r.entry.id === id)) return;
      await this.commit(this.records.filter((r) => r.entry.id !== id));
      await this.removeFolder(id);
    });
  }

  clear(): Promise<void> {
    return this.serialised(async () => {
      const ids = this.records.map((r) => r.entry.id);
      await this.commit([]);
      await Promise.all(ids.map((id) => this.removeFolder(id)));
    });
  }

  /** New limits (from the settings); entries beyond them go at once. */
  setLimits(limits: Partial<HistoryLimits>): Promise<void> {
    return this.serialised(async () => {
      this.limits = { ...this.limits, ...definedLimits(limits) };
      await this.commit(this.records);
    });
  }

  /**
   * Writes the index for `records` after dropping what exceeds the limits, then removes the
   * folders of what was dropped: the index never names a folder that is already gone.
   */
  private async commit(records: IndexRecord[]): Promise<void> {
    const kept = withinLimits(records, this.limits);
    const keptIds = new Set(kept.map((r) => r.entry.id));
    const dropped = new Set([...this.records, ...records].map((r) => r.entry.id).filter((id) => !keptIds.has(id)));
    const index: IndexFile = { kind: INDEX_KIND, version: INDEX_VERSION, records: kept };
    await writeAtomic(path.join(this.dir, INDEX_FILE), JSON.stringify(index));
    this.records = kept;
    await Promise.all([...dropped].map((id) => this.removeFolder(id)));
  }

  private async writeBlobs(id: string, blobs: Partial<HistoryBlobs>): Promise<void> {
    const present = BLOB_NAMES.filter((name) => blobs[name] !== undefined);
    if (present.length === 0) return;
    await fs.mkdir(path.join(this.dir, id), { recursive: true });
    await Promise.all(present.map((name) => writeAtomic(this.blobPath(id, name), blobs[name]!)));
  }

  private blobPath(id: string, name: BlobName): string {
    return path.join(this.dir, id, BLOB_FILES[name]);
  }

  private async removeFolder(id: string): Promise<void> {
    if (ID_PATTERN.test(id)) await fs.rm(path.join(this.dir, id), { recursive: true, force: true });
  }

  /** Folders no entry names (left by a crash, or by an index moved aside) would count against nobody's budget. */
  private async sweepOrphans(): Promise<void> {
    const known = new Set(this.records.map((r) => r.entry.id));
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    await Promise.all(names.filter((name) => ID_PATTERN.test(name) && !known.has(name)).map((name) => this.removeFolder(name)));
  }

  /** Runs `job` after every change queued before it, whether those succeeded or failed. */
  private serialised<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** Drops the oldest entries of each invocation beyond `maxPerInvocation`, then the oldest of all until the bytes fit. */
function withinLimits(records: readonly IndexRecord[], limits: HistoryLimits): IndexRecord[] {
  const counts = new Map<string, number>();
  const keptNewestFirst: IndexRecord[] = [];
  for (let i = records.length - 1; i >= 0; i--) {
    const record = records[i]!;
    const key = invocationKey(record.entry);
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count <= limits.maxPerInvocation) keptNewestFirst.push(record);
  }
  const kept = keptNewestFirst.reverse();
  let total = totalOf(kept);
  let first = 0;
  // The newest entry always stays: add() already took the blobs off one that alone exceeds the budget.
  while (total > limits.maxBytes && first < kept.length - 1) {
    const record = kept[first++]!;
    total -= recordBytes(record) + blobBytes(record.sizes) + 1;
  }
  return kept.slice(first);
}

function totalOf(records: readonly IndexRecord[]): number {
  let total = INDEX_OVERHEAD + Math.max(0, records.length - 1);
  for (const record of records) total += recordBytes(record) + blobBytes(record.sizes);
  return total;
}

/** Its share of index.json (the records are joined by commas, which totalOf counts). */
function recordBytes(record: IndexRecord): number {
  return Buffer.byteLength(JSON.stringify(record));
}

function blobBytes(sizes: BlobSizes): number {
  return BLOB_NAMES.reduce((sum, name) => sum + (sizes[name] ?? 0), 0);
}

function sizesOf(blobs: Partial<HistoryBlobs>): BlobSizes {
  const sizes: BlobSizes = {};
  for (const name of BLOB_NAMES) {
    const blob = blobs[name];
    if (blob !== undefined) sizes[name] = typeof blob === 'string' ? Buffer.byteLength(blob) : blob.byteLength;
  }
  return sizes;
}

function invocationKey(entry: HistoryEntry): string {
  return JSON.stringify([entry.invocation.file, entry.invocation.index]);
}

function sameInvocation(entry: HistoryEntry, file: string, index: number): boolean {
  return entry.invocation.file === file && entry.invocation.index === index;
}

/** The limits given, without undefined ones (a setting left unset keeps the default). */
function definedLimits(limits: Partial<HistoryLimits>): Partial<HistoryLimits> {
  const defined: Partial<HistoryLimits> = {};
  if (typeof limits.maxPerInvocation === 'number' && limits.maxPerInvocation >= 1) defined.maxPerInvocation = Math.floor(limits.maxPerInvocation);
  if (typeof limits.maxBytes === 'number' && limits.maxBytes >= 0) defined.maxBytes = limits.maxBytes;
  return defined;
}

/** Written whole under a temporary name, then renamed over the target: readers see the old file or the new one. */
async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const temp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, file);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

/** The index's records; a file that is not one is moved aside, and the warning says where. */
async function readIndex(dir: string): Promise<{ records: IndexRecord[]; warning?: string }> {
  const file = path.join(dir, INDEX_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [] };
    return { records: [], warning: `the invocation history could not be read (${(error as Error).message}); it starts empty.` };
  }
  const records = parseIndex(text);
  if (records !== undefined) return { records };
  const aside = path.join(dir, `index.broken-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  try {
    await fs.rename(file, aside);
    return { records: [], warning: `the invocation history's index was damaged; it was moved to ${aside} and the history starts empty.` };
  } catch (error) {
    return { records: [], warning: `the invocation history's index was damaged and could not be moved aside (${(error as Error).message}); the history starts empty.` };
  }
}

function parseIndex(text: string): IndexRecord[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.kind !== INDEX_KIND || value.version !== INDEX_VERSION || !Array.isArray(value.records)) return undefined;
  const records = value.records as unknown[];
  return records.every(isRecord) ? records : undefined;
}

/** Enough of a record to list, bound and delete it safely; the rest is the extension's to read. */
function isRecord(value: unknown): value is IndexRecord {
  if (!isObject(value) || !isObject(value.entry) || !isObject(value.sizes)) return false;
  const { entry, sizes } = value;
  return (
    typeof entry.id === 'string' &&
    ID_PATTERN.test(entry.id) &&
    typeof entry.time === 'string' &&
    isObject(entry.invocation) &&
    typeof entry.invocation.file === 'string' &&
    typeof entry.invocation.index === 'number' &&
    isObject(entry.target) &&
    isObject(entry.request) &&
    Object.entries(sizes).every(([name, size]) => name in BLOB_FILES && typeof size === 'number' && size >= 0)
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
