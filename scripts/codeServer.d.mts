// Types of what TypeScript code (the benchmarks) uses from scripts/codeServer.mjs.
import type { ChildProcess } from 'node:child_process';

export class SetupError extends Error {}

export interface StartedCodeServer {
  child: ChildProcess;
  host: string;
  port: number;
  baseUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

export function ensureDebianPackages(names: string[], options?: { log?: (line: string) => void }): void;

export function startCodeServer(options: {
  repoRoot: string;
  workspace: string;
  host?: string;
  port?: number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  onSpawn?: (child: ChildProcess) => void;
  userDataDir?: string;
  extensionsDir?: string;
  logFile?: string;
  workspaceTrust?: boolean;
}): Promise<StartedCodeServer>;

export function workbenchUrl(options: {
  host?: string;
  port: number;
  folder: string;
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  openFile?: string;
  skipWelcome?: boolean;
}): string;

export function stopProcessGroup(child: ChildProcess, options?: { graceMs?: number; signal?: NodeJS.Signals }): Promise<void>;

export function tail(file: string, lines: number): string;
