/**
 * The configuration as of now: `lambda-invoke.local.json` is stat'ed on every request and
 * read again when its modification time, size or inode changed.
 *
 * Why a stat per request rather than fs.watch: a request sent right after the file was saved
 * always sees the new content (a watcher's event can arrive after that request); it works
 * the same on every platform and file system (network shares, container mounts, editors that
 * save by renaming a new file over the old one, which leaves a watcher on the dead inode);
 * there is no handle to leak or close; and a stat costs microseconds next to an invocation.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { CONFIG_FILE_NAME, LocalConfigError, loadLocalConfig, type LocalConfig } from './config';

export type ConfigState = { readonly ok: true; readonly config: LocalConfig } | { readonly ok: false; readonly error: LocalConfigError };

export class ConfigStore {
  private state: ConfigState;
  private stamp: string;
  private reloading: Promise<ConfigState> | undefined;

  private constructor(
    private readonly dir: string,
    initial: LocalConfig,
    stamp: string,
    private readonly log: (line: string) => void,
  ) {
    this.state = { ok: true, config: initial };
    this.stamp = stamp;
  }

  /** Loads the configuration; throws `LocalConfigError` when it is missing or invalid. */
  static async open(dir: string, log: (line: string) => void): Promise<ConfigStore> {
    const stamp = await fileStamp(path.join(dir, CONFIG_FILE_NAME));
    const loaded = await loadLocalConfig(dir);
    for (const warning of loaded.warnings) log(`Warning: ${warning}`);
    return new ConfigStore(dir, loaded.config, stamp, log);
  }

  /** The configuration for this request: re-read first when the file changed. */
  async current(): Promise<ConfigState> {
    if (this.reloading) return this.reloading;
    const stamp = await fileStamp(path.join(this.dir, CONFIG_FILE_NAME));
    if (stamp === this.stamp) return this.state;
    this.reloading = this.reload(stamp).finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async reload(stamp: string): Promise<ConfigState> {
    try {
      const loaded = await loadLocalConfig(this.dir);
      this.state = { ok: true, config: loaded.config };
      this.log(`Reloaded ${loaded.config.file}: ${[...loaded.config.functions.keys()].join(', ') || 'no functions'}.`);
      for (const warning of loaded.warnings) this.log(`Warning: ${warning}`);
    } catch (e) {
      if (!(e instanceof LocalConfigError)) throw e;
      this.state = { ok: false, error: e };
      this.log(`${e.message}\nInvocations fail until the file is fixed; it is read again on the next request after it changes.`);
    }
    this.stamp = stamp;
    return this.state;
  }
}

/** What changes when the file is saved, renamed over, or removed. */
async function fileStamp(file: string): Promise<string> {
  try {
    const stat = await fs.stat(file);
    return `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
  } catch {
    return 'missing';
  }
}
