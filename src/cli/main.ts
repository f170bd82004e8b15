/**
 * `lambda-invoke`: the same files, headless. `run` invokes one invocation of a file (payload
 * to stdout, status and log tail to stderr, or one JSON object with --json; with --save DIR,
 * also the result's files, src/engine/history/savedResult.ts); `check`
 * validates files exactly as the editor does, for CI, and with --account against the account
 * too; `functions` lists the functions at a profile, region and endpoint (src/cli/accountCommands.ts);
 * `serve` runs the built-in local Lambda endpoint (with --ready-json, it declares itself ready
 * on stdout for the program that started it: src/protocol/localEndpointReady.ts). Exit codes are
 * part of the interface (src/cli/io.ts):
 * 0 success, 1 function error, 2 service/network/credential error, 3 invalid file or usage
 * (including a remote endpoint written in the file that the command line did not allow).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { historyRecord, saveResult } from '../engine/history';
import { type WholeLog, fetchWholeLog } from './wholeLog';
import { renderError } from '../engine/render';
import { findReport } from '../lambda/reportLine';
import { invocationLabel } from '../protocol/invocationLabel';
import { formatWait } from '../lambda/format';
import { LocalEndpointDefaults } from '../protocol/ids';
import { READY_JSON_FLAG, readyLine } from '../protocol/localEndpointReady';
import { isInside } from '../protocol/workspacePaths';
import { checkFile, formatDiagnostic, runInvocation, type InvokeFailure, type RunOutcome } from '../engine/run';
import { InvokeError } from '../engine/types';
import { type AccountChecker, accountChecker, listFunctions } from './accountCommands';
import { ExitCode, type Io } from './io';
import { endpointAllowance, targetOverrides } from './targetFlags';

export { ExitCode, type Io } from './io';

const USAGE = `Usage:
  lambda-invoke run FILE [--name N | --index I] [--dry-run] [--profile P] [--region R] [--endpoint URL]
                        [--allow-endpoint ORIGIN]... [--allow-file-endpoints] [--json] [--logs] [--save DIR]
  lambda-invoke check [--account [--profile P] [--region R] [--endpoint URL]
                      [--allow-endpoint ORIGIN]... [--allow-file-endpoints]] FILE...
  lambda-invoke functions [--profile P] [--region R] [--endpoint URL] [--json]
  lambda-invoke serve [--port ${LocalEndpointDefaults.port}] [--host ${LocalEndpointDefaults.host}] [${READY_JSON_FLAG}] [DIR]

run        Invoke one invocation of an .invoke.json file. The response payload goes to stdout,
           status, request id and log tail to stderr. --json prints one JSON object instead.
check      Validate files as the editor does; prints file:line:col: severity code message.
           With --account, also reads the functions the files call from your account and adds
           its warnings (a function that is not there, an alias or version it lacks, …).
functions  List the functions at a profile, region and endpoint: name, runtime and
           description, one a line (--json: a JSON array of {name, arn, runtime, description}).
serve      Run the built-in local Lambda endpoint for the functions declared in
           DIR/${LocalEndpointDefaults.configFileName} (DIR defaults to the current folder).

Options:
  --name N        the invocation whose "name" is N (array files)
  --index I       the invocation at position I (array files, from 0)
  --dry-run       send as DryRun: check permissions and parameters without running
  --profile P     AWS profile (below the file's "profile", above AWS_PROFILE)
  --region R      AWS Region (below the file's "region" and the ARN's, above AWS_REGION)
  --endpoint URL  endpoint URL (below the file's "endpoint", above AWS_ENDPOINT_URL_LAMBDA)
  --allow-endpoint ORIGIN
                  send to ORIGIN (for example https://lambda.example.com) when the file's own
                  "endpoint" names it; repeat for several. Without it, an "endpoint" in the
                  file that is not this machine (localhost, 127.x, ::1) is refused, unsent
  --allow-file-endpoints
                  send to any "endpoint" written in the file (trusted files only)
  --workspace D   the folder payload files must stay inside (default: the current folder,
                  or the file's folder when the file is outside it)
  --account       check: also check against the account (needs credentials; read-only lookups).
                  Warnings only: they do not change the exit code. Without credentials, says so
                  once on stderr and checks the files alone
  --json          run: print one JSON object with every response field;
                  functions: print the list as JSON
  --logs          run: after the call, wait for its whole log in CloudWatch Logs (the log group
                  from the function's LoggingConfig; up to 30 s) and print it to stderr in place
                  of the 4 KB tail (--json: as "log"); needs logs:FilterLogEvents, logs:GetLogEvents
  --save DIR      run: also write the result to DIR (created if needed): response.json (the
                  payload's bytes; response.txt or response.bin when it is not JSON), metadata.json
                  (status, request id, target, timing) and log.txt when there is a log tail
  --port N        serve: the port (default ${LocalEndpointDefaults.port}; 0 picks a free one)
  --host H        serve: the address to listen on (default ${LocalEndpointDefaults.host})
  ${READY_JSON_FLAG}    serve: once listening, print one line of JSON to stdout for the program
                  that started it: {"event":"ready","url":…,"port":…,"functions":[…]}

Exit codes: 0 success, 1 function error, 2 service, network or credential error,
            3 invalid file or usage, or a remote endpoint in the file that was not allowed.`;

export async function main(argv: string[], io: Io): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        index: { type: 'string' },
        'dry-run': { type: 'boolean' },
        profile: { type: 'string' },
        region: { type: 'string' },
        endpoint: { type: 'string' },
        'allow-endpoint': { type: 'string', multiple: true },
        'allow-file-endpoints': { type: 'boolean' },
        workspace: { type: 'string' },
        json: { type: 'boolean' },
        save: { type: 'string' },
        logs: { type: 'boolean' },
        account: { type: 'boolean' },
        port: { type: 'string' },
        host: { type: 'string' },
        'ready-json': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (e) {
    io.stderr(`lambda-invoke: ${(e as Error).message}\n\n${USAGE}\n`);
    return ExitCode.invalid;
  }
  const { values, positionals } = parsed;
  const [command, ...files] = positionals;
  if (values.help || command === undefined || command === 'help') {
    (values.help || command === 'help' ? io.stdout : io.stderr)(`${USAGE}\n`);
    return values.help || command === 'help' ? ExitCode.ok : ExitCode.invalid;
  }
  if (command === 'check' && values.account !== true) return check(files, values.workspace, undefined, io);
  if (command === 'check' || command === 'functions') {
    const overrides = targetOverrides(values, command, io);
    if (overrides === undefined) return ExitCode.invalid;
    if (command === 'functions') return listFunctions(files, { overrides, json: values.json === true }, io);
    const allowEndpoint = endpointAllowance(values, command, io);
    if (allowEndpoint === undefined) return ExitCode.invalid;
    const account = await accountChecker({ overrides, allowEndpoint }, io);
    return account === undefined ? ExitCode.failure : check(files, values.workspace, account, io);
  }
  if (command === 'serve') return serve(files, { port: values.port, host: values.host, readyJson: values['ready-json'] === true }, io);
  if (command !== 'run') {
    io.stderr(`lambda-invoke: unknown command ${JSON.stringify(command)}.\n\n${USAGE}\n`);
    return ExitCode.invalid;
  }
  if (files.length !== 1) {
    io.stderr(`lambda-invoke run: give exactly one file (got ${files.length}).\n\n${USAGE}\n`);
    return ExitCode.invalid;
  }
  if (values.name !== undefined && values.index !== undefined) {
    io.stderr('lambda-invoke run: use --name or --index, not both.\n');
    return ExitCode.invalid;
  }
  let index: number | undefined;
  if (values.index !== undefined) {
    if (!/^\d+$/.test(values.index)) {
      io.stderr(`lambda-invoke run: --index takes a whole number from 0, not ${JSON.stringify(values.index)}.\n`);
      return ExitCode.invalid;
    }
    index = Number(values.index);
  }
  const allowEndpoint = endpointAllowance(values, 'run', io);
  if (allowEndpoint === undefined) return ExitCode.invalid;
  const filePath = path.resolve(io.cwd, files[0]!);
  const text = readText(filePath, io);
  if (text === undefined) return ExitCode.invalid;
  let refusedEndpoint = false;
  const sentAt = new Date();
  try {
    const outcome = await runInvocation(
      {
        filePath,
        text,
        workspaceRoots: [workspaceFor(filePath, values.workspace, io.cwd)],
        index,
        name: values.name,
        dryRun: values['dry-run'] === true,
        overrides: { profile: values.profile, region: values.region, endpoint: values.endpoint },
        env: io.env,
        confirmEndpoint: (endpoint) => {
          const allow = allowEndpoint(endpoint);
          refusedEndpoint = !allow;
          return Promise.resolve(allow);
        },
      },
      {
        signal: io.signal,
        delay: io.delay,
        onAttempt: (a) => {
          if (!values.json) io.stderr(`lambda-invoke: attempt ${a.number} ${a.retryReason ?? ''}; retrying in ${formatWait(a.delayMs ?? 0)}\n`);
        },
      },
    );
    const whole = values.logs === true ? await fetchWholeLog(outcome, sentAt.getTime(), io) : undefined;
    const saved = values.save === undefined ? undefined : await saveRun(values.save, { outcome }, filePath, sentAt, values.json === true, io, whole);
    const code = report(outcome, values.json === true, io, saved, whole);
    // A result the user asked to keep and that was not kept is a failure of this command line, unless the call already failed.
    return saved === false && code === ExitCode.ok ? ExitCode.invalid : code;
  } catch (e) {
    const failure = e instanceof InvokeError ? (e as InvokeFailure) : undefined;
    const saved = values.save === undefined || failure === undefined ? undefined : await saveRun(values.save, { failure }, filePath, sentAt, values.json === true, io);
    const code = reportError(e, values.json === true, io, saved);
    // Nothing was sent and only this command line can allow it: a usage problem, not a failure of the service.
    return refusedEndpoint ? ExitCode.invalid : code;
  }
}

/**
 * `--save DIR`: writes the call's record (src/engine/history) to DIR. The paths written (named
 * on stderr, or in the JSON object with --json); false when DIR could not be written (said on
 * stderr); undefined when nothing was sent, so nothing is saved.
 */
async function saveRun(
  dir: string,
  call: { outcome?: RunOutcome; failure?: InvokeFailure },
  filePath: string,
  sentAt: Date,
  json: boolean,
  io: Io,
  whole?: WholeLog,
): Promise<string[] | false | undefined> {
  const request = call.outcome?.request ?? call.failure?.request;
  const tail = call.outcome?.result.logTail;
  const full = whole?.log !== undefined && whole.log.text.length >= (tail?.length ?? 0) ? whole.log : undefined;
  const record = historyRecord({
    ...call,
    file: filePath,
    label: request === undefined ? path.basename(filePath) : invocationLabel(request),
    sentAt,
    keepPayloads: false,
    ...(full !== undefined
      ? { log: { text: full.text, source: 'full' as const, complete: full.complete } }
      : tail === undefined
        ? {}
        : { log: { text: tail, source: 'tail' as const, complete: findReport(tail, call.outcome?.result.requestId) !== undefined } }),
  });
  const shown = path.resolve(io.cwd, dir);
  if (record === undefined) {
    io.stderr(`lambda-invoke: nothing saved to ${shown}: the invocation was not sent.\n`);
    return undefined;
  }
  try {
    const written = await saveResult(shown, record.entry, record.blobs);
    if (!json) io.stderr(`saved ${written.map((file) => path.basename(file)).join(', ')} to ${shown}\n`);
    return written;
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'EACCES' || (e as NodeJS.ErrnoException).code === 'EPERM' ? 'permission denied' : (e as Error).message;
    io.stderr(`lambda-invoke: could not save the result to ${shown}: ${reason}. The invocation itself is reported as usual; give --save a folder you can write.\n`);
    return false;
  }
}

function report(outcome: RunOutcome, json: boolean, io: Io, saved?: string[] | false, whole?: WholeLog): number {
  const { result, target } = outcome;
  const code = result.functionError !== undefined ? ExitCode.functionError : ExitCode.ok;
  if (json) {
    io.stdout(
      `${JSON.stringify({
        statusCode: result.statusCode,
        requestId: result.requestId,
        executedVersion: result.executedVersion,
        functionError: result.functionError,
        errorDetails: result.errorDetails,
        durableExecutionArn: result.durableExecutionArn,
        logTail: result.logTail,
        payload: result.payloadText,
        durationMs: Math.round(result.durationMs),
        bytesSent: result.bytesSent,
        bytesReceived: result.bytesReceived,
        attempts: result.attempts.length,
        target: { region: target.region, profile: target.profile, endpoint: target.endpoint.href },
        ...(whole?.log ? { log: { text: whole.log.text, complete: whole.log.complete, logGroup: whole.log.logGroup, logStream: whole.log.logStream, format: whole.log.format } } : {}),
        ...(whole?.problem ? { logProblem: whole.problem } : {}),
        ...(saved ? { saved } : {}),
      })}\n`,
    );
    return code;
  }
  const status = [`${result.statusCode}`, result.executedVersion && `version ${result.executedVersion}`, result.requestId && `request ${result.requestId}`, `${Math.round(result.durationMs)} ms`]
    .filter(Boolean)
    .join(' · ');
  io.stderr(`${status}\n`);
  if (result.functionError !== undefined) {
    const d = result.errorDetails;
    io.stderr(`Function error (${result.functionError})${d?.errorType ? `: ${d.errorType}` : ''}${d?.errorMessage ? `: ${d.errorMessage}` : ''}\n`);
  }
  // With --logs the whole log replaces the tail, unless less of it arrived than the tail holds.
  const log = whole?.log !== undefined && whole.log.text.length >= (result.logTail?.length ?? 0) ? whole.log.text : result.logTail;
  if (log) io.stderr(`${log.endsWith('\n') ? log : `${log}\n`}`);
  if (whole?.problem) io.stderr(`lambda-invoke: the whole log: ${whole.problem}\n`);
  if (result.payload.byteLength > 0) io.stdout(result.payload);
  return code;
}

function reportError(e: unknown, json: boolean, io: Io, saved?: string[] | false): number {
  const error: InvokeFailure = e instanceof InvokeError ? e : new InvokeError('network', e instanceof Error ? e.message : String(e));
  const code = error.kind === 'validation' ? ExitCode.invalid : ExitCode.failure;
  if (json) {
    const d = error.details;
    io.stdout(
      `${JSON.stringify({
        error: {
          kind: error.kind,
          message: error.message,
          hint: d.hint,
          errorType: d.errorType,
          statusCode: d.statusCode,
          requestId: d.requestId,
          mayHaveRun: d.mayHaveRun ?? false,
          diagnostics: d.diagnostics,
        },
        ...(saved ? { saved } : {}),
      })}\n`,
    );
  } else {
    io.stderr(renderError(error.request, error.target, error).replace(/\n?$/, '\n'));
  }
  return code;
}

/** `check`: each file's diagnostics, then (with `account`) its account warnings, which never change the exit code. */
async function check(files: string[], workspace: string | undefined, account: AccountChecker | undefined, io: Io): Promise<number> {
  if (files.length === 0) {
    io.stderr(`lambda-invoke check: give one or more files.\n\n${USAGE}\n`);
    return ExitCode.invalid;
  }
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const filePath = path.resolve(io.cwd, file);
    const text = readText(filePath, io);
    if (text === undefined) {
      errors++;
      continue;
    }
    const checked = checkFile({ filePath, text, workspaceRoots: [workspaceFor(filePath, workspace, io.cwd)] });
    const shown = path.relative(io.cwd, filePath) || filePath;
    for (const d of checked.diagnostics) {
      if (d.severity === DiagnosticSeverity.Warning) warnings++;
      else if (d.severity === DiagnosticSeverity.Error) errors++;
      io.stdout(`${formatDiagnostic(shown, d)}\n`);
    }
    for (const d of (await account?.diagnostics(checked)) ?? []) {
      if (d.severity === DiagnosticSeverity.Warning) warnings++;
      io.stdout(`${formatDiagnostic(shown, d)}\n`);
    }
  }
  io.stderr(`${files.length} ${files.length === 1 ? 'file' : 'files'} checked: ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}.\n`);
  return errors > 0 ? ExitCode.invalid : ExitCode.ok;
}

interface ServeOptions {
  port: string | undefined;
  host: string | undefined;
  /** Print the ready line (src/protocol/localEndpointReady.ts) to stdout once listening. */
  readyJson: boolean;
}

async function serve(dirs: string[], { port, host, readyJson }: ServeOptions, io: Io): Promise<number> {
  if (dirs.length > 1) {
    io.stderr(`lambda-invoke serve: give at most one folder (got ${dirs.length}).\n`);
    return ExitCode.invalid;
  }
  if (port !== undefined && !/^\d{1,5}$/.test(port)) {
    io.stderr(`lambda-invoke serve: --port takes a port number, not ${JSON.stringify(port)}.\n`);
    return ExitCode.invalid;
  }
  const dir = path.resolve(io.cwd, dirs[0] ?? '.');
  // Loaded here so `run` and `check` never pay for the endpoint's code: scripts/build.mjs
  // bundles src/local as dist/localEndpoint.js and leaves this import to load that file, beside
  // dist/cli.js, at run time (the build fails if src/local ends up inside dist/cli.js). From
  // source (tsx), it loads the module itself.
  let startLocalEndpoint;
  try {
    ({ startLocalEndpoint } = await import('../local/index.js'));
  } catch (e) {
    io.stderr(`lambda-invoke serve: the local endpoint's code could not be loaded (${e instanceof Error ? e.message : String(e)}). Reinstall, or rebuild with \`npm run build\`.\n`);
    return ExitCode.failure;
  }
  let endpoint;
  try {
    endpoint = await startLocalEndpoint({
      dir,
      port: port === undefined ? LocalEndpointDefaults.port : Number(port),
      host: host ?? LocalEndpointDefaults.host,
      log: (line: string) => io.stderr(`${line}\n`),
    });
  } catch (e) {
    io.stderr(`lambda-invoke serve: ${e instanceof Error ? e.message : String(e)}\n`);
    return ExitCode.invalid;
  }
  // After the human "listening on" line (stderr): whoever waits for this one may connect at once.
  if (readyJson) io.stdout(`${readyLine(endpoint.url, endpoint.functions)}\n`);
  await new Promise<void>((resolve) => {
    if (io.signal?.aborted) resolve();
    io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await endpoint.close();
  io.stderr('Local Lambda endpoint stopped.\n');
  return ExitCode.ok;
}

function readText(filePath: string, io: Io): string | undefined {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    io.stderr(`lambda-invoke: cannot read ${filePath}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}.\n`);
    return undefined;
  }
}

/** Payload files must stay inside this folder. */
function workspaceFor(filePath: string, workspace: string | undefined, cwd: string): string {
  if (workspace !== undefined) return path.resolve(cwd, workspace);
  return isInside(cwd, filePath) ? cwd : path.dirname(filePath);
}
