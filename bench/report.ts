/**
 * What every benchmark section returns, and how `npm run bench` prints it and writes it to
 * bench/RESULTS.md. A figure is always set against a named peer measured in the same run; the
 * ratio is what to read (absolute times on shared machines are noisy, ratios hold).
 */

import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';

/** One comparison: our figure, the peer's, their ratio and the target it is held to. */
export interface Comparison {
  /** What is measured, e.g. "edit → diagnostics, median of 41 edits". */
  what: string;
  /** The peer, named, e.g. "floor server (apply edit, JSON.parse, publish)". */
  peer: string;
  /** Unit of both figures: 'ms', 'MB', 'KB'. */
  unit: string;
  ours: number;
  theirs: number;
  /** The target as a sentence, e.g. "at most 1.5× the floor"; undefined when only reported. */
  target?: string;
  /**
   * Whether the target is met (undefined when there is none). Computed by the section from the
   * figures, never written by hand.
   */
  met?: boolean;
}

/** A figure reported on its own (no peer in the terms), e.g. a bundle size. */
export interface Figure {
  what: string;
  value: number;
  unit: string;
  note?: string;
}

export interface Section {
  title: string;
  comparisons: Comparison[];
  figures: Figure[];
  /** Where a target is missed or a figure needs explaining: what limits it. One sentence each. */
  notes: string[];
}

/** ours / theirs, e.g. 1.23 means ours took 1.23× the peer's time. */
export function ratio(comparison: Pick<Comparison, 'ours' | 'theirs'>): number {
  return comparison.ours / comparison.theirs;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A peer that cannot run fails the benchmark loudly (timings never do). */
export class PeerUnavailable extends Error {
  constructor(peer: string, reason: string) {
    super(`The peer "${peer}" could not run: ${reason}`);
  }
}

function format(value: number, unit: string): string {
  const digits = Number.isInteger(value) || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

function verdict(c: Comparison): string {
  if (c.met === undefined) return '';
  return c.met ? 'met' : 'MISSED';
}

/** The section as Markdown (also what is printed). */
export function sectionMarkdown(section: Section): string {
  const lines = [`## ${section.title}`, ''];
  if (section.comparisons.length > 0) {
    lines.push('| measured | ours | peer | peer’s | ratio (ours ÷ peer) | target | |', '|---|---:|---|---:|---:|---|---|');
    for (const c of section.comparisons) {
      lines.push(`| ${c.what} | ${format(c.ours, c.unit)} | ${c.peer} | ${format(c.theirs, c.unit)} | ${ratio(c).toFixed(2)}× | ${c.target ?? '(reported)'} | ${verdict(c)} |`);
    }
    lines.push('');
  }
  if (section.figures.length > 0) {
    lines.push('| figure | value | |', '|---|---:|---|');
    for (const f of section.figures) lines.push(`| ${f.what} | ${format(f.value, f.unit)} | ${f.note ?? ''} |`);
    lines.push('');
  }
  for (const note of section.notes) lines.push(`- ${note}`);
  if (section.notes.length > 0) lines.push('');
  return lines.join('\n');
}

/** A process's run: from spawn to 'exit', its status and its whole output. */
export interface ProcessRun {
  ms: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns a process and times it from spawn to 'exit'; resolves once its output is complete (killed after `timeoutMs`). */
export function timeProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let ms = Number.NaN;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => (ms = performance.now() - started));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ ms, code, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/** This process's environment without any AWS_* setting or NODE_OPTIONS: nothing of the caller's own AWS set-up leaks into a run. */
export function withoutAwsSettings(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('AWS_') && key !== 'NODE_OPTIONS') env[key] = value;
  return env;
}

/**
 * The environment every client of a section signs with: the bench's keys and region, the shared
 * config files pointed at files that do not exist, no instance metadata, no pager, HOME in the
 * temp folder, and none of the caller's own AWS settings.
 */
export function benchAwsEnv(dir: string, credentials: { accessKeyId: string; secretAccessKey: string }, region: string): NodeJS.ProcessEnv {
  return {
    ...withoutAwsSettings(),
    HOME: dir,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: path.join(dir, 'no-such-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-such-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    // The SDK's documented opt-out of its notice that its 2027 releases need Node 22.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** Runs one section as a script (`node --import tsx bench/x.ts`): its log to stderr, its table to stdout. */
export function runStandalone(run: (log: (line: string) => void) => Promise<Section>): void {
  run((line) => console.error(line)).then(
    (section) => console.log(sectionMarkdown(section)),
    (error: unknown) => {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    },
  );
}
