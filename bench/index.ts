/**
 * `npm run bench`: what users feel, each figure against a named peer measured in the same run.
 * Builds what ships (minified bundles), runs the sections one after another (never in parallel:
 * they share two cores), prints them and writes bench/RESULTS.md with a description of the machine.
 * Timings never fail the run; a peer that cannot run does, loudly (exit code 1).
 *
 *   npm run bench                 all sections
 *   npm run bench -- lsp invoke   only those (lsp, invoke, local, account, extension), printed; RESULTS.md untouched
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as account from './account';
import * as extension from './extension';
import * as invoke from './invoke';
import * as local from './local';
import * as lsp from './lsp';
import * as resultView from './resultView';
import { type Section, sectionMarkdown } from './report';

const REPO = path.resolve(__dirname, '..');
const RESULTS = path.join(REPO, 'bench', 'RESULTS.md');

const SECTIONS: Record<string, { run(log: (line: string) => void): Promise<Section> }> = { lsp, invoke, local, account, extension, resultView };

function log(line: string): void {
  console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
}

/** The machine and the peers' versions, for the results file. */
function machine(): string[] {
  const cpus = os.cpus();
  const version = (command: string, args: string[]) => {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    return result.status === 0 ? `${result.stdout}${result.stderr}`.trim().split('\n')[0] : 'not available';
  };
  const read = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : 'unknown');
  const packageVersion = (name: string) => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  const codeServer = path.join(REPO, '.cache', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'package.json');
  return [
    `- ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, Linux ${os.release()}, Debian ${read('/etc/debian_version')}`,
    `- Node ${process.version}; AWS CLI: ${version('/usr/bin/aws', ['--version'])}; @aws-sdk/client-lambda ${packageVersion('@aws-sdk/client-lambda')}; vscode-json-languageservice ${packageVersion('vscode-json-languageservice')}`,
    `- VS Code ${fs.existsSync(codeServer) ? (JSON.parse(fs.readFileSync(codeServer, 'utf8')) as { version: string }).version : '(code-server not installed yet)'} in code-server, driven by ${version('/usr/bin/chromium', ['--version'])}`,
    '- A shared machine: absolute times vary from run to run; the ratios, measured in the same run, are what to compare.',
  ];
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  const unknown = asked.filter((name) => !(name in SECTIONS));
  if (unknown.length > 0) throw new Error(`Unknown section ${unknown.join(', ')}; the sections are ${Object.keys(SECTIONS).join(', ')}.`);
  const names = asked.length > 0 ? asked : Object.keys(SECTIONS);
  const started = Date.now();
  extension.buildProduction(log);
  const sections: Section[] = [];
  for (const name of names) {
    log(`Section ${name}…`);
    const section = await SECTIONS[name]!.run(log);
    sections.push(section);
    console.log(`\n${sectionMarkdown(section)}`);
  }
  if (asked.length > 0) {
    log(`Only some sections ran: ${path.relative(process.cwd(), RESULTS)} is written by a run of all of them.`);
    return;
  }
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const text = [
    '# Benchmark results',
    '',
    `\`npm run bench\`, ${when} UTC, ${((Date.now() - started) / 1000).toFixed(0)} s. Ratios are ours ÷ the peer’s: below 1 is faster or smaller than the peer.`,
    '',
    ...machine(),
    '',
    ...sections.map(sectionMarkdown),
  ].join('\n');
  fs.writeFileSync(RESULTS, `${text.trimEnd()}\n`);
  log(`Wrote ${path.relative(process.cwd(), RESULTS)}.`);
}

main().catch((error: unknown) => {
  console.error(`\nThe benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
