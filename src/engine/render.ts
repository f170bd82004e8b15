/**
 * Invocation outcomes as text for people: one block per invocation, for the `Lambda Invoke`
 * output channel and the CLI's stderr. Plain strings in, plain text out; no timestamps (the
 * caller adds them if it wants). The inputs carry no credentials, signatures or tokens, and
 * the endpoint is shown without any user info, so none can appear here.
 */
import { formatBytes, formatDuration } from '../lambda/format';
import { invocationLabel } from '../protocol/invocationLabel';
import { describeStatus } from './serviceErrorReader';
import type { InvocationRequest, InvocationResult, InvokeError, InvokeErrorKind, ResolvedTarget } from './types';

/** What each 2xx status means for an invocation. */
const STATUS_MEANINGS: Readonly<Record<number, string>> = {
  200: 'OK',
  202: 'Accepted (queued)',
  204: 'No Content (dry run passed)',
};

/** What a 2xx status with no payload to show tells the user instead. */
const STATUS_NOTES: Readonly<Record<number, string>> = {
  202: 'Lambda queued the event; the function runs on its own. Its result and logs go to CloudWatch Logs and any configured destinations, not here.',
  204: 'Lambda checked the parameters and your permission to invoke the function; the function did not run.',
};

/** The header line's summary for each kind of failure. */
const KIND_TITLES: Readonly<Record<InvokeErrorKind, string>> = {
  validation: 'not sent: the invocation has errors',
  configuration: 'not sent: configuration problem',
  credentials: 'not sent: no usable credentials',
  service: 'error response',
  network: 'connection failed',
  timeout: 'no answer in time',
  cancelled: 'cancelled',
};

const MAY_HAVE_RUN =
  'The request was sent, so the function may have run. Check its logs before invoking again: a retry could run it twice.';

const OK_MARK = '✔';
const FAIL_MARK = '✖';
const INDENT = '  ';

type Row = readonly [label: string, value: string | undefined];

/** `payloadLimit`: characters of payload written in the block; a longer payload is named, not copied (the result tab has it). */
export function renderResult(request: InvocationRequest, target: ResolvedTarget, result: InvocationResult, options: { payloadLimit?: number } = {}): string {
  const failed = result.functionError !== undefined;
  const status = statusText(result.statusCode);
  const summary = failed ? `FAILED: the function returned an error (${result.functionError}) — ${status}` : status;
  const lines = [`${failed ? FAIL_MARK : OK_MARK} ${label(request)} — ${summary}`];

  lines.push(
    ...rows([
      ...targetRows(request, target),
      ['Status', status],
      ['Request id', result.requestId],
      ['Duration', `${formatDuration(result.durationMs)} round trip`],
      ['Sent', `${formatBytes(result.bytesSent)}${payloadOrigin(request)}`],
      ['Received', formatBytes(result.bytesReceived)],
      ['Version', result.executedVersion],
      ['Durable execution', result.durableExecutionArn],
      ...attemptRows(result.attempts),
    ]),
  );

  if (failed) lines.push('', ...functionErrorSection(result));

  const note = STATUS_NOTES[result.statusCode];
  if (note !== undefined && result.payload.length === 0) lines.push('', INDENT + note);

  const tail = logTailSection(request, result);
  if (tail.length > 0) lines.push('', ...tail);

  // Not a spread: a 6 MB payload has more lines than a call may take arguments.
  if (note === undefined || result.payload.length > 0) for (const line of ['', ...payloadSection(result, options.payloadLimit)]) lines.push(line);
  return lines.join('\n') + '\n';
}

export function renderError(request: InvocationRequest | undefined, target: ResolvedTarget | undefined, error: InvokeError): string {
  const { details } = error;
  const lines = [`${FAIL_MARK} ${request ? label(request) : 'Lambda Invoke'} — ${errorTitle(error)}`];
  lines.push(
    ...rows([
      ...(request ? targetRows(request, target) : []),
      ['Error', error.message],
      ['What to do', details.hint],
      ['Status', details.statusCode === undefined ? undefined : describeStatus(details.statusCode)],
      ['Error type', details.errorType],
      ['Request id', details.requestId],
      ...attemptRows(details.attempts ?? []),
    ]),
  );
  if (details.mayHaveRun) lines.push('', `${INDENT}⚠ ${MAY_HAVE_RUN}`);
  if (details.diagnostics && details.diagnostics.length > 0) {
    lines.push('', `${INDENT}Diagnostics:`, ...details.diagnostics.map((d) => INDENT.repeat(2) + d));
  }
  return lines.join('\n') + '\n';
}

/** `ResourceNotFoundException (HTTP 404 Not Found)` for a service error, else the kind's title. */
function errorTitle(error: InvokeError): string {
  const { errorType, statusCode } = error.details;
  if (error.kind !== 'service') return KIND_TITLES[error.kind];
  const status = statusCode === undefined ? undefined : describeStatus(statusCode);
  if (errorType !== undefined && status !== undefined) return `${errorType} (${status})`;
  return errorType ?? status ?? KIND_TITLES.service;
}

function label(request: InvocationRequest): string {
  return invocationLabel(request);
}

function targetRows(request: InvocationRequest, target: ResolvedTarget | undefined): Row[] {
  const invocation = request.logType === 'Tail' ? `${request.invocationType}, log Tail` : request.invocationType;
  const result: Row[] = [
    ['Function', request.functionName],
    ['Qualifier', request.qualifier],
    ['Tenant', request.tenantId],
    ['Durable name', request.durableExecutionName],
    ['Invocation', invocation],
  ];
  if (target) {
    result.push(
      ['Region', withSource(target.region, target.regionSource)],
      ['Profile', withSource(target.profile, target.profileSource)],
      ['Endpoint', target.isDefaultEndpoint ? undefined : displayEndpoint(target.endpoint, target.endpointSource)],
    );
  }
  return result;
}

function attemptRows(attempts: readonly InvocationResult['attempts'][number][]): Row[] {
  if (attempts.length <= 1 && attempts.every((a) => a.retryReason === undefined)) return [];
  const described = attempts.map((a) => {
    if (a.retryReason === undefined) return `${a.number}: final`;
    const wait = a.delayMs === undefined ? '' : `, retried after ${formatDuration(a.delayMs)}`;
    return `${a.number}: ${a.retryReason}${wait}`;
  });
  return [['Attempts', `${attempts.length}`], ...described.map((text): Row => ['', text])];
}

function functionErrorSection(result: InvocationResult): string[] {
  const lines = [`${INDENT}FAILED INVOCATION — the function ran and returned an error (${result.functionError}).`];
  const details = result.errorDetails;
  if (!details) return [...lines, `${INDENT}The error payload is below.`];
  lines.push(
    ...rows(
      [
        ['Error type', details.errorType],
        ['Error message', details.errorMessage],
      ],
      2,
    ),
  );
  const trace = (details.stackTrace ?? []).flatMap((entry) => splitLines(entry)).filter((line) => line.trim() !== '');
  if (trace.length > 0) lines.push(`${INDENT.repeat(2)}Stack trace:`, ...trace.map((line) => INDENT.repeat(3) + line));
  return lines;
}

function logTailSection(request: InvocationRequest, result: InvocationResult): string[] {
  if (result.logTail !== undefined) {
    const logLines = splitLines(result.logTail);
    while (logLines.length > 0 && logLines[logLines.length - 1]!.trim() === '') logLines.pop();
    if (logLines.length === 0) return [`${INDENT}Log tail: (empty)`];
    return [`${INDENT}Log tail (last 4 KB):`, ...logLines.map((line) => INDENT.repeat(2) + line)];
  }
  if (request.logType !== 'Tail') return [];
  return request.invocationType === 'RequestResponse'
    ? [`${INDENT}Log tail: none returned.`]
    : [`${INDENT}Log tail: Lambda returns it for RequestResponse invocations only.`];
}

function payloadSection(result: InvocationResult, limit = Infinity): string[] {
  if (result.payload.length === 0) return [`${INDENT}Payload: (empty)`];
  if ((result.payloadPretty ?? result.payloadText).length > limit) {
    return [`${INDENT}Payload: ${formatBytes(result.payload.length)}${result.payloadPretty !== undefined ? ' of JSON' : ''}, too long to copy here: it is in the result tab.`];
  }
  if (result.payloadPretty !== undefined) {
    return [`${INDENT}Payload (JSON):`].concat(splitLines(result.payloadPretty).map((line) => INDENT.repeat(2) + line));
  }
  const heading = result.payloadText.includes('\uFFFD') ? 'Payload (not JSON, not valid UTF-8; shown as text):' : 'Payload (text, not JSON):';
  return [`${INDENT}${heading}`].concat(splitLines(result.payloadText).map((line) => INDENT.repeat(2) + line));
}

/** Label/value rows with the values aligned; rows without a value are left out. */
function rows(entries: readonly Row[], depth = 1): string[] {
  const present = entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined && entry[1] !== '');
  const width = Math.max(0, ...present.map(([name]) => name.length)) + 2;
  return present.map(([name, value]) => {
    const key = name === '' ? ''.padEnd(width) : `${name}:`.padEnd(width);
    return INDENT.repeat(depth) + key + indentContinuation(value, INDENT.repeat(depth) + ''.padEnd(width));
  });
}

/** Multi-line values (a long message) continue under their first line. */
function indentContinuation(value: string, prefix: string): string {
  return splitLines(value).join('\n' + prefix);
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

function statusText(statusCode: number): string {
  const meaning = STATUS_MEANINGS[statusCode];
  return meaning ? `${statusCode} ${meaning}` : describeStatus(statusCode);
}

function withSource(value: string, source: string): string {
  return source ? `${value} (from ${source})` : value;
}

/** The endpoint without user info, query or fragment: nothing secret can ride along. */
function displayEndpoint(url: URL, source: string): string {
  const path = url.pathname === '/' ? '' : url.pathname;
  const shown = withSource(`${url.protocol}//${url.host}${path}`, source);
  return url.username !== '' || url.password !== '' ? `${shown}; user info not shown` : shown;
}

function payloadOrigin(request: InvocationRequest): string {
  const source = request.payloadSource;
  if (source === 'none') return ' (no payload)';
  if (source === 'inline') return ' (inline payload)';
  return ` (payload file ${source.file})`;
}

