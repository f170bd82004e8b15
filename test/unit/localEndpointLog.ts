/**
 * Starts an in-process local endpoint on a temporary folder of handler files and keeps its log, so
 * a test can wait for a line (an Event invocation's REPORT) instead of sleeping. Shared by the
 * local endpoint's log and durable-execution tests.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLocalEndpoint, type ExpectedCredentials, type LocalEndpoint } from '../../src/local/index';

export interface LoggedEndpoint {
  readonly dir: string;
  readonly endpoint: LocalEndpoint;
  /** Resolves once the endpoint has logged a line passing `test` (at once if it already has). */
  logged(test: (line: string) => boolean): Promise<void>;
  /** Closes the endpoint and removes the folder. */
  close(): Promise<void>;
}

export async function startLoggedEndpoint(files: Readonly<Record<string, string>>, config: object, credentials: ExpectedCredentials): Promise<LoggedEndpoint> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda-invoke-local-')));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  await writeFile(path.join(dir, 'lambda-invoke.local.json'), JSON.stringify(config));
  const lines: string[] = [];
  const waiting: { test: (line: string) => boolean; resolve: () => void }[] = [];
  const endpoint = await startLocalEndpoint({
    dir,
    port: 0,
    credentials,
    log: (line) => {
      lines.push(line);
      for (const waiter of waiting.filter((w) => w.test(line))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
  });
  return {
    dir,
    endpoint,
    logged: (test) => (lines.some(test) ? Promise.resolve() : new Promise((resolve) => waiting.push({ test, resolve }))),
    close: async () => {
      await endpoint.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
