/**
 * Reads an accepted (2xx) answer into an `InvocationResult`: all its headers as received, the
 * ones Lambda gives meaning to (request id, executed version, function error, log tail), the
 * payload as received and, when it is JSON, re-indented without touching a digit, and a
 * function error's type, message and trace.
 */
import type { HttpResponse } from '@smithy/protocol-http';
import { applyEdits, format } from 'jsonc-parser';
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
  return applyEdits(text, format(text, undefined, { tabSize: 2, insertSpaces: true, eol: '\n' }));
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
