/**
 * "Copy as AWS CLI Command": the `aws lambda invoke …` line (AWS CLI v2) that sends the same
 * request as the engine, quoted so a POSIX shell (sh, bash, zsh) hands the CLI every value
 * byte for byte. Optional members appear only when the invocation sets them.
 */
import type { TargetOverrides } from '../protocol/targetOverrides';
import type { InvocationRequest } from './types';

/**
 * Inline payloads above this many bytes go to a file instead (when the caller offers one).
 * Linux refuses to start a program when any single argument is over 128 KiB
 * (MAX_ARG_STRLEN, E2BIG: "Argument list too long"), and macOS caps all arguments and the
 * environment together at 1 MiB; 100 KiB stays clear of both with room for the rest of the line.
 */
export const INLINE_PAYLOAD_MAX_BYTES = 100 * 1024;

/** The `--region`, `--profile` and `--endpoint-url` to name; `endpoint` only when it is not the partition's standard one. */
export type CliTarget = TargetOverrides;

export interface CliCommandOptions {
  /** Where the CLI writes the response payload (default `response.json`). */
  outfile?: string;
  /** A file the caller writes the payload to, used when an inline payload is too long for a command line. */
  payloadFileArg?: string;
}

/** Members sent as optional headers or the query, in the order the command lists them. */
const OPTIONAL_FLAGS: ReadonlyArray<readonly [flag: string, value: (request: InvocationRequest) => string | undefined]> = [
  ['--qualifier', (r) => r.qualifier],
  // The CLI's defaults (RequestResponse, None) match Lambda's, so they are left out.
  ['--invocation-type', (r) => (r.invocationType === 'RequestResponse' ? undefined : r.invocationType)],
  ['--log-type', (r) => (r.logType === 'None' ? undefined : r.logType)],
  ['--client-context', (r) => r.clientContext],
  ['--tenant-id', (r) => r.tenantId],
  ['--durable-execution-name', (r) => r.durableExecutionName],
];

const TARGET_FLAGS: ReadonlyArray<readonly [flag: string, key: keyof CliTarget]> = [
  ['--region', 'region'],
  // Pass a profile only when it was chosen explicitly: with `--profile` the CLI skips
  // credentials from environment variables.
  ['--profile', 'profile'],
  ['--endpoint-url', 'endpoint'],
];

/**
 * The equivalent `aws lambda invoke` command, one line (a payload with line breaks keeps them
 * inside its quotes).
 *
 * The payload goes as follows:
 * - none, or empty: no `--payload` (the CLI then sends an empty body, like the engine);
 * - from a `payloadFile`: `fileb://<path>`, which the CLI sends as raw bytes whatever
 *   `--cli-binary-format` says, so that flag is left out;
 * - inline text: `--cli-binary-format raw-in-base64-out --payload '<text>'`, single-quoted:
 *   the shell passes it on untouched (`$`, backticks, `\`, `!`, newlines, any Unicode);
 * - inline and over INLINE_PAYLOAD_MAX_BYTES: `fileb://<payloadFileArg>` when the caller
 *   offers that file (it must write the payload there; see `usesPayloadFile`), else still
 *   inline, which runs wherever the shell allows an argument that long;
 * - inline bytes that are not UTF-8 text or hold a NUL (no shell argument can carry those):
 *   `fileb://<payloadFileArg>` if offered, else base64 with `--cli-binary-format base64`.
 */
export function toAwsCliCommand(request: InvocationRequest, target: CliTarget, options: CliCommandOptions = {}): string {
  const args: string[] = ['aws', 'lambda', 'invoke', ...option('--function-name', request.functionName)];
  for (const [flag, value] of OPTIONAL_FLAGS) {
    const v = value(request);
    if (v !== undefined) args.push(...option(flag, v));
  }
  args.push(...payloadArgs(request, options.payloadFileArg));
  for (const [flag, key] of TARGET_FLAGS) {
    const v = target[key];
    if (v !== undefined && v !== '') args.push(...option(flag, v));
  }
  const outfile = options.outfile ?? 'response.json';
  // A positional argument starting with `-` would be read as an option.
  args.push(shellQuote(outfile.startsWith('-') ? `./${outfile}` : outfile));
  return args.join(' ');
}

/**
 * `--flag value`, or `--flag=value` when the value starts with `-` (a payload such as `-1`,
 * a function named `-x`): the CLI's parser would otherwise take the value for an option.
 */
function option(flag: string, value: string): string[] {
  return value.startsWith('-') ? [shellQuote(`${flag}=${value}`)] : [flag, shellQuote(value)];
}

/** True when `toAwsCliCommand` with a `payloadFileArg` reads the payload from that file. */
export function usesPayloadFile(request: InvocationRequest): boolean {
  if (request.payloadSource !== 'inline' || request.payload.length === 0) return false;
  return request.payload.length > INLINE_PAYLOAD_MAX_BYTES || inlineText(request.payload) === undefined;
}

function payloadArgs(request: InvocationRequest, payloadFileArg: string | undefined): string[] {
  const source = request.payloadSource;
  if (source === 'none' || request.payload.length === 0) return [];
  if (typeof source === 'object') return option('--payload', `fileb://${source.file}`);
  if (payloadFileArg !== undefined && usesPayloadFile(request)) return option('--payload', `fileb://${payloadFileArg}`);
  const text = inlineText(request.payload);
  if (text === undefined) {
    return ['--cli-binary-format', 'base64', ...option('--payload', Buffer.from(request.payload).toString('base64'))];
  }
  return ['--cli-binary-format', 'raw-in-base64-out', ...option('--payload', text)];
}

/** The payload as text a shell argument can carry exactly, or undefined. */
function inlineText(payload: Uint8Array): string | undefined {
  if (payload.includes(0)) return undefined;
  try {
    // ignoreBOM keeps a leading byte order mark in the text instead of dropping it.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(payload);
  } catch {
    return undefined;
  }
}

/**
 * One shell word for `value`: bare when it has only characters no POSIX shell (nor zsh)
 * treats specially, else single-quoted, each `'` written as `'\''`.
 */
export function shellQuote(value: string): string {
  if (/^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
