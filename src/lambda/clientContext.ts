/**
 * Client context, as `X-Amz-Client-Context` carries it: base64 of a JSON object with
 * `client`, `custom` and `env`. An object written in the file is encoded by the tool from
 * its own source text, so numbers and strings reach the function exactly as written.
 */
import { Patterns } from './limits';

/** Removes the whitespace between JSON tokens, leaving strings untouched. */
export function compactJson(source: string): string {
  return source.replace(/"[^"\\]*(?:\\[\s\S][^"\\]*)*"|[ \t\r\n]+/g, (token) => (token.startsWith('"') ? token : ''));
}

/** The header value for a client context object written as JSON source text. */
export function encodeClientContext(objectSource: string): string {
  return Buffer.from(compactJson(objectSource), 'utf8').toString('base64');
}

export type DecodedClientContext =
  | { ok: true; json: string; value: Record<string, unknown> }
  | { ok: false; reason: 'not-base64' }
  | { ok: false; reason: 'not-json'; text: string; detail: string }
  | { ok: false; reason: 'not-object'; text: string };

export function isBase64(text: string): boolean {
  return Patterns.base64.test(text);
}

/** Decodes a base64 client context and checks that it is a JSON object. */
export function decodeClientContext(base64: string): DecodedClientContext {
  if (!isBase64(base64)) return { ok: false, reason: 'not-base64' };
  const text = Buffer.from(base64, 'base64').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: 'not-json', text, detail: e instanceof Error ? e.message : String(e) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'not-object', text };
  return { ok: true, json: text, value: value as Record<string, unknown> };
}
