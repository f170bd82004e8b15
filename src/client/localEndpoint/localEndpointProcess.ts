/**
 * The built-in local Lambda endpoint as a child of the extension host: `node dist/cli.js serve
 * --port N --ready-json FOLDER`, started, watched until it declares itself ready, and stopped.
 * No `vscode` in here, so it is tested on its own (test/unit/localEndpointProcess.test.ts);
 * src/client/localEndpoint/localEndpoint.ts puts the palette commands, the output channel and
 * the messages around it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import * as net from 'node:net';
import { LocalEndpointDefaults, SettingIds } from '../../protocol/ids';
import { READY_JSON_FLAG, parseReadyLine } from '../../protocol/localEndpointReady';

const LOCAL_ENDPOINT_HOST = LocalEndpointDefaults.host;

export interface LocalEndpointStartOptions {
  /**
   * The Node that runs the CLI: the extension host's own `process.execPath`. In the desktop VS
   * Code that is Electron, which runs as plain Node with ELECTRON_RUN_AS_NODE (set here).
   */
  nodePath: string;
  /** dist/cli.js of the extension. */
  cliPath: string;
  /** The folder whose lambda-invoke.local.json declares the functions. */
  folder: string;
  port: number;
  env?: NodeJS.ProcessEnv;
  /**
   * The endpoint's output (stdout and stderr) as it comes, chunk by chunk; until it is ready,
   * stdout line by line, without the ready line (it is for this module, not for people).
   */
  onOutput: (text: string) => void;
  /** Called when the endpoint stops after it was listening, other than through stop(). */
  onExit?: (how: string) => void;
  /** How long to wait for it to listen. Default 30 s. */
  timeoutMs?: number;
}

/** Why the endpoint could not start; the message says what to do. */
export class LocalEndpointStartError extends Error {
  override readonly name = 'LocalEndpointStartError';
}

/** The CLI's arguments after the Node binary. */
export function serveArguments(cliPath: string, folder: string, port: number): string[] {
  return [cliPath, 'serve', '--port', String(port), READY_JSON_FLAG, folder];
}

/** "exit code 1" / "signal SIGKILL", for messages. */
export function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal !== null ? `signal ${signal}` : `exit code ${code ?? 'unknown'}`;
}

/** A port number the setting may hold: a whole number from 1 to 65535. */
export function isValidPort(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** Whether something accepts connections at host:port now. */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (inUse: boolean) => {
      socket.destroy();
      resolve(inUse);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.setTimeout(1000, () => done(false));
  });
}

export class LocalEndpointProcess {
  private stopping = false;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    /** Where it listens. */
    readonly url: URL,
  ) {
    this.exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  }

  /** Whether the process is still there. */
  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Starts the endpoint and resolves once it prints its ready line on stdout
   * (src/protocol/localEndpointReady.ts), with the URL that line gives. Nothing else counts:
   * not the human "listening on" line, not the port answering. Rejects with a
   * LocalEndpointStartError when the port is taken, when it exits first, or on timeout.
   */
  static async start(options: LocalEndpointStartOptions): Promise<LocalEndpointProcess> {
    const { port } = options;
    if (await portInUse(LOCAL_ENDPOINT_HOST, port)) {
      throw new LocalEndpointStartError(
        `Port ${port} on ${LOCAL_ENDPOINT_HOST} is already in use: is an endpoint already running (npm start, or lambda-invoke serve in a terminal)? Stop it, or choose another port in the setting ${SettingIds.localEndpointPort}.`,
      );
    }
    const child = spawn(options.nodePath, serveArguments(options.cliPath, options.folder, port), {
      cwd: options.folder,
      env: { ...(options.env ?? process.env), ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const url = await waitForReady(child, options);
    const endpoint = new LocalEndpointProcess(child, url);
    child.once('exit', (code, signal) => {
      if (!endpoint.stopping) options.onExit?.(describeExit(code, signal));
    });
    return endpoint;
  }

  /**
   * Stops it: SIGINT first, which the CLI answers by closing the endpoint and its workers;
   * SIGKILL if it is still there after `graceMs`. Resolves once it has exited.
   */
  async stop(graceMs = 5000): Promise<void> {
    this.stopping = true;
    if (!this.running) return;
    this.child.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), graceMs);
    });
    const forced = await Promise.race([this.exited.then(() => false), timedOut]);
    clearTimeout(timer);
    if (forced && this.running) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Asks it to stop without waiting (for a synchronous dispose). */
  stopNow(): void {
    this.stopping = true;
    if (this.running) this.child.kill('SIGINT');
  }
}

/** Resolves with the URL of the child's ready line; kills it and rejects if none comes. */
function waitForReady(child: ChildProcess, options: LocalEndpointStartOptions): Promise<URL> {
  const recent: string[] = [];
  const remember = (line: string) => {
    recent.push(line);
    if (recent.length > 10) recent.shift();
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (outcome: { url: URL } | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('close', onClose);
      if ('url' in outcome) {
        resolve(outcome.url);
      } else {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        const output = recent.length > 0 ? ` Its last output:\n${recent.join('\n')}` : '';
        reject(new LocalEndpointStartError(`${outcome.error}${output}`));
      }
    };
    // Decoded as UTF-8 by the streams, so a character split across chunks stays whole.
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    let stdoutPending = '';
    child.stdout?.on('data', (text: string) => {
      if (settled && stdoutPending === '') {
        options.onOutput(text);
        return;
      }
      const lines = (stdoutPending + text).split('\n');
      stdoutPending = lines.pop() ?? '';
      for (const line of lines) {
        const ready = settled ? undefined : parseReadyLine(line);
        if (ready) {
          finish({ url: new URL(ready.url) });
          continue;
        }
        options.onOutput(`${line}\n`);
        remember(line);
      }
      // Once ready, the rest goes out as it comes, a partial line included.
      if (settled && stdoutPending !== '') {
        options.onOutput(stdoutPending);
        stdoutPending = '';
      }
    });
    let stderrPending = '';
    child.stderr?.on('data', (text: string) => {
      options.onOutput(text);
      if (settled) return;
      const lines = (stderrPending + text).split(/\r?\n/);
      stderrPending = lines.pop() ?? '';
      for (const line of lines) remember(line);
    });
    // 'close' rather than 'exit': by then all of its output has been read, for the message.
    const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
      for (const pending of [stdoutPending, stderrPending]) if (pending !== '') remember(pending);
      finish({ error: `The local endpoint stopped before it was listening (${describeExit(code, signal)}).` });
    };
    child.once('close', onClose);
    child.once('error', (error) => finish({ error: `The local endpoint could not be started: ${error.message}.` }));
    const timeoutMs = options.timeoutMs ?? 30_000;
    const timer = setTimeout(() => finish({ error: `The local endpoint was not listening after ${timeoutMs / 1000} s.` }), timeoutMs);
  });
}
