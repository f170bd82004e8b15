/**
 * The ready line of the local endpoint, declared once: `lambda-invoke serve --ready-json`
 * prints exactly one line of JSON to stdout once it listens, and whoever started it (the
 * extension's Start Local Endpoint, `npm start`, the e2e launchers) waits for that line instead
 * of parsing the human "listening on" line, which stays on stderr and may be reworded freely.
 *
 *   {"event":"ready","url":"http://127.0.0.1:3001/","port":3001,"functions":["hello","fail"]}
 *
 * The CLI writes it with readyLine() and src/client parses it with parseReadyLine(). The .mjs
 * launchers (scripts/start.mjs, test/e2e/shared.mjs) cannot import TypeScript: they JSON.parse
 * each stdout line and take the one whose `event` is "ready", and point here for the shape.
 */

/** The `serve` option that asks for the ready line. */
export const READY_JSON_FLAG = '--ready-json';

/** The `event` member that marks the ready line. */
export const READY_EVENT = 'ready';

export interface LocalEndpointReady {
  readonly event: typeof READY_EVENT;
  /** Where it listens, with a trailing slash, e.g. `http://127.0.0.1:3001/`: the endpoint URL to invoke. */
  readonly url: string;
  /** The port it listens on: the one asked for, or the one the system picked for `--port 0`. */
  readonly port: number;
  /** The functions lambda-invoke.local.json declared when it started; the file is read again on every request, so this may change later. */
  readonly functions: readonly string[];
}

/** The ready line's text for an endpoint listening at `url`, without the line break. */
export function readyLine(url: URL, functions: readonly string[]): string {
  const ready: LocalEndpointReady = { event: READY_EVENT, url: url.href, port: portOf(url), functions: [...functions] };
  return JSON.stringify(ready);
}

/**
 * The ready line's content if `line` is one, otherwise undefined: any other output (the human
 * "listening on" line included) and a line that names the event but breaks the shape.
 */
export function parseReadyLine(line: string): LocalEndpointReady | undefined {
  const text = line.trim();
  // Most lines are log text: not worth a JSON.parse and its exception.
  if (!text.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { event, url, port, functions } = value as Record<string, unknown>;
  if (event !== READY_EVENT || typeof url !== 'string' || typeof port !== 'number') return undefined;
  if (!Array.isArray(functions) || !functions.every((name) => typeof name === 'string')) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || portOf(parsed) !== port) return undefined;
  return { event, url: parsed.href, port, functions };
}

/** The port a URL connects to, its scheme's default when it names none. */
function portOf(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}
