/**
 * The entry point of the extension-host suite, as @vscode/test-electron (and the workbench's
 * `extensionTestsPath` in code-server) expects: `run()` loads the suite files next to this
 * bundle into mocha and resolves when they all pass, rejects when any fails.
 *
 * Results go to the extension host's console and, line by line, to the file named by
 * LAMBDA_INVOKE_E2E_RESULTS (the code-server launcher prints that file: the console of a remote
 * extension host does not reach it). The file ends with a JSON summary line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

const RESULTS_FILE = process.env.LAMBDA_INVOKE_E2E_RESULTS;

function emit(line: string): void {
  console.log(line);
  if (RESULTS_FILE) fs.appendFileSync(RESULTS_FILE, `${line}\n`);
}

/** A spec-like reporter without colours that writes through `emit`. */
class LineReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const { EVENT_SUITE_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
    let depth = 0;
    const indent = () => '  '.repeat(Math.max(depth, 0));
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.root) return;
      depth++;
      emit(`${indent()}${suite.title}`);
    });
    runner.on(Mocha.Runner.constants.EVENT_SUITE_END, (suite: Mocha.Suite) => {
      if (!suite.root) depth--;
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => emit(`${indent()}  ✔ ${test.title} (${test.duration ?? 0} ms)`));
    runner.on(EVENT_TEST_PENDING, (test: Mocha.Test) => emit(`${indent()}  - ${test.title} (skipped)`));
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, error: Error) => {
      emit(`${indent()}  ✖ ${test.title}`);
      for (const line of (error.stack ?? String(error)).split('\n')) emit(`${indent()}      ${line}`);
    });
    runner.once(EVENT_RUN_END, () => {
      const { passes = 0, failures = 0, pending = 0, duration = 0 } = this.stats;
      emit(`extension-host suite: ${passes} passed, ${failures} failed, ${pending} skipped in ${(duration / 1000).toFixed(1)} s`);
      emit(`RESULT ${JSON.stringify({ passed: passes, failed: failures, skipped: pending })}`);
    });
  }
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 120_000, reporter: LineReporter });
  const files = fs
    .readdirSync(__dirname)
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  for (const name of files) mocha.addFile(path.join(__dirname, name));
  emit(`Running ${files.length} suite files in VS Code ${vscode.version} (${vscode.env.appName}, Node ${process.version})`);
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} test(s) failed.`)) : resolve()));
    } catch (error) {
      emit(`The suite could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      emit(`RESULT ${JSON.stringify({ passed: 0, failed: 1, skipped: 0 })}`);
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
