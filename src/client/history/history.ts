/**
 * The invocation history of this workspace, kept in the extension's workspace storage (never in
 * the repository) by the engine's HistoryStore: opened on first use, bounded by the
 * `lambdaInvoke.history.*` settings, and announcing every change so the History view and the
 * result tabs follow. A store that cannot be written is said once; invoking goes on without it.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BlobName, HistoryBlobs, HistoryEntry } from '../../engine/history/types';
import { Config } from '../config';
import type { EngineModule } from '../engineLoader';
import { loadEngine } from '../engineLoader';
import { showWarning } from '../output/notifications';

type Store = InstanceType<EngineModule['HistoryStore']>;

export class History implements vscode.Disposable {
  private store: Promise<Store | undefined> | undefined;
  private warned = false;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after every add, update, delete or clear. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[] = [this.changed];

  /** @param folder where the history lives: the workspace's storage, else the extension's global storage. */
  constructor(private readonly folder: vscode.Uri) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (!Config.affectsHistoryLimits(event) || this.store === undefined) return;
        void this.store.then(async (store) => {
          await store?.setLimits(new Config().historyLimits);
          this.changed.fire();
        });
      }),
    );
  }

  /** Records an invocation; the entry as stored, or undefined when the store is unavailable (already said). */
  async add(entry: HistoryEntry, blobs: HistoryBlobs): Promise<HistoryEntry | undefined> {
    const store = await this.open();
    if (store === undefined) return undefined;
    try {
      const stored = await store.add(entry, blobs);
      this.changed.fire();
      return stored;
    } catch (error) {
      this.warn(error);
      return undefined;
    }
  }

  /** Stores an entry's whole log once it arrived. */
  async setLog(entry: HistoryEntry, log: string): Promise<void> {
    const store = await this.open();
    if (store === undefined || store.get(entry.id) === undefined) return;
    try {
      await store.update(entry, { log });
      this.changed.fire();
    } catch (error) {
      this.warn(error);
    }
  }

  /** Every entry, newest first. */
  async list(): Promise<readonly HistoryEntry[]> {
    return (await this.open())?.list() ?? [];
  }

  async get(id: string): Promise<HistoryEntry | undefined> {
    return (await this.open())?.get(id);
  }

  async readBlob(id: string, name: BlobName): Promise<Buffer | undefined> {
    return (await this.open())?.readBlob(id, name);
  }

  /** The entries of one invocation, newest first. */
  async forInvocation(file: string, index: number): Promise<readonly HistoryEntry[]> {
    return (await this.open())?.forInvocation(file, index) ?? [];
  }

  async delete(id: string): Promise<void> {
    await (await this.open())?.delete(id);
    this.changed.fire();
  }

  async clear(): Promise<void> {
    await (await this.open())?.clear();
    this.changed.fire();
  }

  private open(): Promise<Store | undefined> {
    this.store ??= (async () => {
      try {
        const engine = loadEngine();
        const opened = await engine.HistoryStore.open(path.join(this.folder.fsPath, 'history'), new Config().historyLimits);
        if (opened.warning !== undefined) void showWarning(`Lambda Invoke: ${opened.warning}`);
        return opened.store;
      } catch (error) {
        this.warn(error);
        return undefined;
      }
    })();
    return this.store;
  }

  /** One warning per window: the history is a convenience, and invoking works without it. */
  private warn(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    const reason = error instanceof Error ? error.message : String(error);
    void showWarning(`Lambda Invoke: the invocation history could not be written in ${this.folder.fsPath} (${reason}). Invoking works as before; results are not kept.`);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
