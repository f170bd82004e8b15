/**
 * Reads a non-2xx answer off the wire into an `InvokeError`: the error's name from
 * `X-Amzn-ErrorType` or the body, its message, a throttle's `Reason` and `Retry-After`, and what
 * to make of a body that is an HTML page from a proxy, not JSON, or malformed. What each error
 * means comes from serviceErrorExplanations.ts. Never throws, whatever the body holds.
 */
import { STATUS_CODES } from 'node:http';
import { formatWait } from '../lambda/format';
import { THROTTLE_REASONS, genericFor, lookupServiceError } from './serviceErrorExplanations';
import { InvokeError } from './types';

/** The longest piece of a response body quoted in a message. */
const MAX_QUOTE = 300;

/**
 * An error name as the wire carries it, bare: `X-Amzn-ErrorType` may append a URL after `:`
 * (`ResourceNotFoundException:http://internal.amazon.com/…`), and a body's `__type` may prefix
 * a namespace before `#` (`com.amazonaws.lambda#ResourceNotFoundException`).
 */
export function normalizeErrorType(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const beforeColon = raw.split(':', 1)[0] ?? '';
  const name = beforeColon.slice(beforeColon.lastIndexOf('#') + 1).trim();
  return name === '' ? undefined : name;
}

/**
 * How long `Retry-After` asks to wait, in milliseconds: delay-seconds or an HTTP-date.
 * Undefined when the header is absent or unreadable. `now` is for tests.
 */
export function retryAfterMs(headers: Record<string, string | undefined>, now: number = Date.now()): number | undefined {
  const value = headerValue(headers, 'retry-after');
  if (value === undefined) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP-date has a weekday and month name; requiring a letter keeps Date.parse from
  // reading bare numbers such as "-1" or "1e3" as years.
  if (!/[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The `InvokeError` for a non-2xx answer. `headers` have lower-case names. Never throws,
 * whatever the body holds.
 */
export function serviceError(statusCode: number, headers: Record<string, string | undefined>, body: Uint8Array, requestId?: string): InvokeError {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
  const json = parseObject(text);
  const headerName = normalizeErrorType(headerValue(headers, 'x-amzn-errortype'));
  // The body's `Type` is a fault category (`User`, `Service`), never the error's name.
  const bodyName = json && normalizeErrorType(stringField(json, ['__type', 'code', 'Code']));
  const rawName = headerName ?? bodyName;
  const known = lookupServiceError(rawName);
  const errorType = known?.name ?? rawName;
  const id = requestId ?? headerValue(headers, 'x-amzn-requestid') ?? headerValue(headers, 'x-amz-request-id');
  const status = describeStatus(statusCode);

  const markup = json === undefined && isMarkup(text, headerValue(headers, 'content-type'));
  const firstLine = json === undefined ? firstTextLine(text, markup) : undefined;

  if (errorType === undefined && json === undefined && firstLine !== undefined) {
    // No error name and a body that is not JSON: Lambda always names its errors, so a proxy,
    // gateway, firewall or emulator answered in its place.
    const generic = genericFor(statusCode);
    const what = markup ? 'an HTML page' : 'a non-JSON body';
    return new InvokeError(
      'service',
      `${status} with ${what} from something between you and Lambda (a proxy, gateway, firewall or local emulator), not from Lambda itself: "${firstLine}"`,
      {
        statusCode,
        requestId: id,
        hint: `Check the endpoint URL and any proxy settings (HTTPS_PROXY, VS Code's http.proxy). ${generic.meaning}`,
        ...(generic.mayHaveRun ? { mayHaveRun: true } : {}),
      },
    );
  }

  const serviceMessage = withoutCanonicalRequest(json ? oneLine(stringField(json, ['message', 'Message', 'errorMessage'])) : firstLine);
  const info = known ?? genericFor(statusCode);
  let meaning = info.meaning;
  let hint = info.action;
  if (errorType === 'TooManyRequestsException' || (errorType === undefined && statusCode === 429)) {
    const reason = json && stringField(json, ['Reason', 'reason']);
    if (reason) meaning += ` ${THROTTLE_REASONS[reason] ?? `Reason: ${reason}.`}`;
    const waitMs = retryAfterMs(headers) ?? secondsField(json, 'retryAfterSeconds');
    if (waitMs !== undefined) hint = `Lambda asks to wait ${formatWait(waitMs)} before trying again (Retry-After). ${hint}`;
  }
  if (errorType !== undefined && !known) {
    meaning = `${errorType} is not an error this extension knows for Invoke. ${meaning}`;
  }
  if (json === undefined && firstLine !== undefined && errorType !== undefined) {
    meaning += ' (The error body was not JSON.)';
  }

  const head = errorType ?? status;
  const message = [serviceMessage ? `${head}: ${serviceMessage}` : head, meaning].join(' — ');
  return new InvokeError('service', message, {
    errorType,
    statusCode,
    requestId: id,
    hint,
    ...(info.mayHaveRun ? { mayHaveRun: true } : {}),
  });
}

/** `HTTP 404 Not Found`. */
export function describeStatus(statusCode: number): string {
  const phrase = STATUS_CODES[statusCode];
  return phrase ? `HTTP ${statusCode} ${phrase}` : `HTTP ${statusCode}`;
}

/** A header by its lower-case name; tolerates other casings from hand-built header maps. */
function headerValue(headers: Record<string, string | undefined>, name: string): string | undefined {
  let value = headers[name];
  if (value === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    value = key === undefined ? undefined : headers[key];
  }
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringField(json: Record<string, unknown>, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = json[key];
    if (typeof value === 'string' && value.trim() !== '') return value;
  }
  return undefined;
}

function secondsField(json: Record<string, unknown> | undefined, key: string): number | undefined {
  const value = json?.[key];
  const seconds = typeof value === 'number' ? value : typeof value === 'string' && /^\d+(?:\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

/** Whitespace folded to single spaces, clipped for a one-line message. */
function oneLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded === '') return undefined;
  return folded.length > MAX_QUOTE ? `${folded.slice(0, MAX_QUOTE)}…` : folded;
}

function isMarkup(text: string, contentType: string | undefined): boolean {
  return /html|xml/i.test(contentType ?? '') || /^\s*</.test(text);
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** The first non-blank line of a body; for HTML or XML, of its text with the tags taken out. */
function firstTextLine(text: string, markup: boolean): string | undefined {
  let plain = text;
  if (markup) {
    plain = text
      .replace(/<!--[\s\S]*?-->/g, '\n')
      .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, '\n')
      .replace(/<[^>]*>/g, '\n')
      .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
        if (entity.startsWith('#')) {
          const code = entity[1] === 'x' || entity[1] === 'X' ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
          return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
        }
        return ENTITIES[entity.toLowerCase()] ?? whole;
      });
  }
  for (const line of plain.split(/\r?\n|\r/)) {
    const one = oneLine(line);
    if (one !== undefined) return one;
  }
  return undefined;
}

/**
 * A signature mismatch message may quote the canonical request the service expected, and that
 * carries the signed headers — the session token among them. It never reaches the user.
 */
export function withoutCanonicalRequest(message: string | undefined): string | undefined {
  if (message === undefined) return undefined;
  const at = message.search(/The Canonical String for this request should have been/i);
  return at < 0 ? message : `${message.slice(0, at).trimEnd()} (the canonical request the service quoted is left out: it carries your signed headers)`;
}
