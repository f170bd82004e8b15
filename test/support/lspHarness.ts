/**
 * The language server as any editor starts it: `node dist/server.js --stdio` in a child process,
 * spoken to by the client of lspClient.ts over its stdin and stdout. For the tests that prove the
 * real entry point and bundle; the others build the server in process (inProcessServer.ts), with
 * the same API. Run after `npm run build`.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { ExitNotification, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { LspClient, type ServerSetup, TIMEOUT_MS } from './lspClient';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const SERVER_JS = path.join(REPO_ROOT, 'dist', 'server.js');

export interface StdioSetup extends ServerSetup {
  /** The server process's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Spawns dist/server.js --stdio and initializes it as the setup asks. */
export async function spawnServer(setup: StdioSetup = {}): Promise<StdioServer> {
  assert.ok(existsSync(SERVER_JS), `${SERVER_JS} is missing: run \`npm run build\` first.`);
  const server = new StdioServer(setup);
  try {
    // The server watches this process and exits if it goes away, as it does for an editor.
    return await server.start(process.pid);
  } catch (error) {
    await server.close();
    throw server.withReport(error);
  }
}

export class StdioServer extends LspClient {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves with the exit code (or signal) once the process has ended. */
  readonly exited: Promise<ProcessExit>;
  private stderr = '';
  private exit: ProcessExit | undefined;

  constructor(setup: StdioSetup) {
    const child = spawn(process.execPath, [SERVER_JS, '--stdio'], { cwd: REPO_ROOT, env: setup.env ?? process.env, stdio: 'pipe' });
    super(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin), setup);
    this.child = child;
    child.stdout.on('data', (chunk: Buffer) => this.recordWritten(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.recordWritten(chunk);
      if (this.stderr.length < 100_000) this.stderr += chunk;
    });
    // A write after the server died must fail the waiting test, not crash the runner.
    child.stdin.on('error', (error) => (this.stderr += `\n[test] writing to the server failed: ${error.message}\n`));
    this.exited = new Promise((resolve) => {
      const ended = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.exit) return;
        this.exit = { code, signal };
        this.ended(`process exited with code ${code}, signal ${signal}`);
        // Fails requests still awaiting an answer, instead of leaving them hanging.
        this.connection.dispose();
        resolve(this.exit);
      };
      child.once('exit', ended);
      // A process that could not be started emits 'error' and never 'exit'.
      child.once('error', (error) => {
        this.stderr += `\n[test] the server process failed: ${error.message}\n`;
        ended(null, null);
      });
    });
  }

  /** Sends the exit notification and resolves with how the process ended. */
  async exitProcess(timeoutMs = TIMEOUT_MS): Promise<ProcessExit> {
    const exited = this.exited;
    await this.connection.sendNotification(ExitNotification.type);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for the process to exit after the exit notification.`)), timeoutMs);
    });
    return Promise.race([exited, timeout]).finally(() => clearTimeout(timer));
  }

  /** Teardown: kills the process unless it has ended, and waits for it. */
  async close(): Promise<void> {
    this.dropWaiters();
    if (this.exit === undefined && this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  protected transportReport(): string[] {
    return [
      `--- server stderr (${this.stderr.length} chars) ---`,
      this.stderr.slice(-4000).trimEnd() || '(empty)',
      `--- server process: ${this.exit ? `exited with code ${this.exit.code}, signal ${this.exit.signal}` : 'running'} ---`,
    ];
  }
}
