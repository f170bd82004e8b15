/**
 * Reads an accepted (2xx) answer into an `InvocationResult`: all its headers as received, the
 * ones Lambda gives meaning to (request id, executed version, function error, log tail), the
 * payload as received and, when it is JSON, re-indented without touching a digit, and a
 * function error's type, message and trace.
 */
import type { HttpResponse } from '@smithy/protocol-http';
import { SyntaxKind, createScanner } from 'jsonc-parser';
import { responseHeader } from './transport';
import type { Attempt, InvocationRequest, InvocationResult } from './types';

export function toResult(response: HttpResponse, body: Buffer, request: InvocationRequest, durationMs: number, attempts: Attempt[]): InvocationResult {
  const payloadText = body.toString('utf8');
  const result: InvocationResult = {
    statusCode: response.statusCode,
    headers: lowerCaseHeaders(response.headers),
    payload: body,
    payloadText,
    durationMs,
    bytesSent: request.payload.byteLength,
    bytesReceived: body.byteLength,
    attempts,
  };
  const set = <K extends keyof InvocationResult>(key: K, value: InvocationResult[K] | undefined) => {
    if (value !== undefined) result[key] = value;
  };
  set('requestId', responseHeader(response, 'x-amzn-requestid'));
  set('executedVersion', responseHeader(response, 'x-amz-executed-version'));
  set('functionError', responseHeader(response, 'x-amz-function-error'));
  set('durableExecutionArn', responseHeader(response, 'x-amz-durable-execution-arn'));
  const log = responseHeader(response, 'x-amz-log-result');
  set('logTail', log === undefined ? undefined : Buffer.from(log, 'base64').toString('utf8'));
  set('payloadPretty', prettyJson(payloadText));
  if (result.functionError !== undefined) set('errorDetails', functionErrorDetails(payloadText));
  return result;
}

/** Node already lower-cases the names it receives; other handlers may not, and the result promises lower case. */
function lowerCaseHeaders(headers: Record<string, string>): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  return lower;
}

/**
 * Re-indents JSON text without re-serialising it, so 12345678901234567890 and 1.50 are shown
 * as the function returned them. Undefined when the text is not JSON.
 */
export function prettyJson(text: string): string | undefined {
  if (text.trim() === '') return undefined;
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  return reindent(text);
}

/**
 * One pass over the tokens, each copied as written (a string with its escapes, a number with its
 * digits), with two-space indentation between them. Linear in the text: a formatter that computes
 * an edit per gap and applies them took minutes on a 6 MB response.
 */
function reindent(text: string): string {
  const scanner = createScanner(text, true);
  const out: string[] = [];
  let depth = 0;
  let afterOpen = false;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    const raw = text.substr(scanner.getTokenOffset(), scanner.getTokenLength());
    switch (token) {
      case SyntaxKind.OpenBraceToken:
      case SyntaxKind.OpenBracketToken:
        if (afterOpen) out.push(newline());
        out.push(raw);
        depth++;
        afterOpen = true;
        continue;
      case SyntaxKind.CloseBraceToken:
      case SyntaxKind.CloseBracketToken:
        depth--;
        // An empty object or array stays `{}` / `[]`.
        out.push(afterOpen ? raw : `${newline()}${raw}`);
        break;
      case SyntaxKind.CommaToken:
        out.push(`,${newline()}`);
        break;
      case SyntaxKind.ColonToken:
        out.push(': ');
        break;
      default:
        if (afterOpen) out.push(newline());
        out.push(raw);
    }
    afterOpen = false;
  }
  return out.join('');
}

function functionErrorDetails(text: string): InvocationResult['errorDetails'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text.trim() ? { errorMessage: text.trim() } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  const trace = v.stackTrace ?? v.trace;
  const details: NonNullable<InvocationResult['errorDetails']> = {};
  if (typeof v.errorType === 'string') details.errorType = v.errorType;
  if (typeof v.errorMessage === 'string') details.errorMessage = v.errorMessage;
  if (Array.isArray(trace)) details.stackTrace = trace.map(String);
  else if (typeof trace === 'string') details.stackTrace = trace.split('\n');
  return details;
}
