/**
 * Runs the CLI's `main` (src/cli/main.ts) in this process as `lambda-invoke ARGS` would run, and
 * collects what it prints. The AWS SDK's credential providers read process.env themselves, so the
 * given environment is process.env for the length of the run.
 */
import { main } from '../../src/cli/main';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], { cwd, env }: { cwd: string; env: NodeJS.ProcessEnv }): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const saved = process.env;
  process.env = env;
  try {
    const code = await main(args, {
      stdout: (t) => (stdout += Buffer.from(t).toString('utf8')),
      stderr: (t) => (stderr += t),
      cwd,
      env,
      // Retries wait for nothing: no test waits on a clock.
      delay: () => Promise.resolve(),
    });
    return { code, stdout, stderr };
  } finally {
    process.env = saved;
  }
}
