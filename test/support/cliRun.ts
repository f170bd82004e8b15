/**
 * Runs the CLI's `main` (src/cli/main.ts) in this process as `lambda-invoke ARGS` would run, and
 * collects what it prints. The AWS SDK's credential providers read process.env themselves, so the
 * given environment is process.env for the length of the run.
 */
import { main } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  /** stdout as the bytes written (a response payload need not be UTF-8). */
  stdoutBytes: Buffer;
  stderr: string;
}

export async function runCli(args: string[], { cwd, env }: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliRun> {
  const out: Buffer[] = [];
  let stderr = '';
  const saved = process.env;
  process.env = env;
  try {
    const code = await main(args, {
      stdout: (t) => out.push(Buffer.from(t)),
      stderr: (t) => (stderr += t),
      cwd,
      env,
      // Retries wait for nothing: no test waits on a clock.
      delay: () => Promise.resolve(),
    });
    const stdoutBytes = Buffer.concat(out);
    return { code, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr };
  } finally {
    process.env = saved;
  }
}
