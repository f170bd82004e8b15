/**
 * The result view with a 6 MB response, in a real VS Code (code-server, as the e2e tests run
 * it): from the Invoke command to the result tab shown with the whole payload in it, and the
 * part of that after the answer arrived (what the result view itself costs), against the peer
 * VS Code opening the same JSON from a file on disk. Goal of issue 14: shown in at most 1 s.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { runWindow } from './codeServerWindow';
import { buildProduction } from './extension';
import { type Comparison, type Figure, PeerUnavailable, type Section, median, runStandalone } from './report';

const REPO = path.resolve(__dirname, '..');
const OUT = path.join(REPO, 'out', 'bench', 'resultView');
const CHROMIUM = '/usr/bin/chromium';
const TIMEOUT_MS = 300_000;
const GOAL_MS = 1000;

export async function run(log: (line: string) => void): Promise<Section> {
  if (!fs.existsSync(path.join(REPO, 'dist', 'extension.js'))) buildProduction(log);
  if (!fs.existsSync(CHROMIUM)) throw new PeerUnavailable('Chromium (drives code-server)', `${CHROMIUM} is missing: apt-get install chromium`);
  const codeServer = await import('../scripts/codeServer.mjs');
  await esbuild.build({ entryPoints: { index: path.join(REPO, 'bench', 'resultView', 'index.ts') }, outdir: OUT, bundle: true, platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning' });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-bench-results-'));
  const workspace = path.join(tmp, 'folder');
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  // The bench times the result tab, not a log fetch from the stand-in server.
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'lambdaInvoke.results.fullLog': 'onDemand', 'lambdaInvoke.accountLookups': 'off' }));
  const resultsFile = path.join(tmp, 'results.jsonl');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
  const server = await codeServer.startCodeServer({
    repoRoot: REPO,
    workspace,
    userDataDir: path.join(tmp, 'user-data'),
    extensionsDir: path.join(tmp, 'extensions'),
    logFile: path.join(tmp, 'code-server.log'),
    env: { ...process.env, LAMBDA_INVOKE_BENCH_RESULTS: resultsFile },
    log: () => undefined,
  });
  let figures: { ours: number[]; afterAnswer: number[]; peer: number[]; bytes: number; shownBytes: number; error?: string };
  try {
    const code = await runWindow({
      browser,
      url: codeServer.workbenchUrl({ port: server.port, folder: workspace, extensionDevelopmentPath: REPO, extensionTestsPath: path.join(OUT, 'index') }),
      timeoutMs: TIMEOUT_MS,
    });
    const line = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8').trim().split('\n').at(-1) : undefined;
    figures = line ? (JSON.parse(line) as typeof figures) : { ours: [], afterAnswer: [], peer: [], bytes: 0, shownBytes: 0 };
    if (code !== 0 || figures.ours.length === 0) throw new PeerUnavailable('the result view in code-server', `the window ended with ${String(code)}: ${figures.error ?? 'no figures'}; code-server's log ends:\n${codeServer.tail(server.logFile, 15)}`);
  } finally {
    await server.stop();
    await browser.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  for (let i = 0; i < figures.ours.length; i++) log(`result view round ${i + 1}: invoke → tab ${figures.ours[i]!.toFixed(0)} ms (after the answer ${figures.afterAnswer[i]!.toFixed(0)} ms), peer ${figures.peer[i]!.toFixed(0)} ms`);
  const peer = 'VS Code opening the same JSON from a file (openTextDocument + showTextDocument)';
  const comparisons: Comparison[] = [
    {
      what: `6 MB response: answer received → result tab shown with the payload, median of ${figures.ours.length}`,
      peer,
      unit: 'ms',
      ours: median(figures.afterAnswer),
      theirs: median(figures.peer),
      target: `goal ≤ ${GOAL_MS} ms`,
      met: median(figures.afterAnswer) <= GOAL_MS,
    },
    { what: '6 MB response: Invoke command → result tab shown (the call included)', peer, unit: 'ms', ours: median(figures.ours), theirs: median(figures.peer) },
  ];
  const extra: Figure[] = [{ what: 'payload received / shown', value: figures.bytes / 1024 / 1024, unit: 'MB', note: `${(figures.shownBytes / 1024 / 1024).toFixed(1)} MB as the tab shows it (re-indented)` }];
  const notes: string[] = [];
  if (median(figures.afterAnswer) > GOAL_MS) {
    notes.push(
      'Goal missed at the median. What it costs after the answer: re-indenting the payload (one linear pass, ~0.8 s for 6 MB in the extension host), recording it in the history, and code-server carrying the 11 MB re-indented text to the browser, which VS Code itself needs longer for when it opens the same text from disk (the peer). Next: show the text as received first and re-indent off the extension host’s thread.',
    );
  }
  return { title: 'Result view: a 6 MB response', comparisons, figures: extra, notes };
}

if (require.main === module) runStandalone(run);
