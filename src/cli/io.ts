/**
 * What every command of the `lambda-invoke` CLI is given and gives back: the process it prints
 * to, and the exit codes, which are part of the interface (src/cli/main.ts documents them).
 */

export const ExitCode = { ok: 0, functionError: 1, failure: 2, invalid: 3 } as const;

export interface Io {
  stdout: (text: string | Uint8Array) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** How to wait before a retry (tests pass one that returns at once). */
  delay?: (ms: number, signal?: AbortSignal) => Promise<void>;
}
