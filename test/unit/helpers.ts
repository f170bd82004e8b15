/**
 * Test helpers: run the language service on a document given as text, with payload files
 * given as a map (no disk), and a `|` marker for the cursor where a test needs one.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { type ParsedDocument, parseDocument } from '../../src/language/document';
import type { ValidationContext } from '../../src/language/invocationFacts';
import type { PayloadFileInfo, PayloadFileReader } from '../../src/language/payloadFiles';
import { validateDocument } from '../../src/language/validate';

export const WORKSPACE = '/ws';
export const DOC_PATH = '/ws/tests/sample.invoke.json';
export const DOC_URI = 'file:///ws/tests/sample.invoke.json';

/** Payload files by absolute path: their text, or a symlink target as `{ link }`. */
export type FakeFiles = Record<string, string | { link: string }>;

export class FakeFileReader implements PayloadFileReader {
  constructor(private readonly files: FakeFiles = {}) {}

  realPath(file: string): string | undefined {
    const entry = this.files[file];
    if (entry === undefined) return file.startsWith(WORKSPACE) || file === '/' ? file : undefined;
    return typeof entry === 'string' ? file : this.realPath(entry.link);
  }

  read(file: string): PayloadFileInfo {
    const entry = this.files[file];
    if (entry === undefined) return { kind: 'missing', reason: 'ENOENT' };
    if (typeof entry !== 'string') return this.read(entry.link);
    const bytes = Buffer.byteLength(entry, 'utf8');
    try {
      JSON.parse(entry);
      return { kind: 'json', bytes };
    } catch (e) {
      return { kind: 'not-json', detail: (e as Error).message, bytes };
    }
  }
}

export function context(files: FakeFiles = {}): ValidationContext {
  return { documentPath: DOC_PATH, workspaceRoots: [WORKSPACE], files: new FakeFileReader(files) };
}

export interface Analyzed {
  document: TextDocument;
  doc: ParsedDocument;
  diagnostics: Diagnostic[];
  ctx: ValidationContext;
}

export function analyze(text: string, files: FakeFiles = {}): Analyzed {
  const document = TextDocument.create(DOC_URI, 'lambda-invoke', 1, text);
  const doc = parseDocument(text);
  const ctx = context(files);
  return { document, doc, ctx, diagnostics: validateDocument(document, doc, ctx) };
}

/** The diagnostics' codes, in order. */
export function codes(text: string, files: FakeFiles = {}): string[] {
  return analyze(text, files).diagnostics.map((d) => String(d.code));
}

/** The text a diagnostic's range covers. */
export function covered(a: Analyzed, d: Diagnostic): string {
  return a.document.getText(d.range);
}

/** Splits `{"a": |1}` into the text without the marker and the marker's offset. */
export function cursor(textWithMarker: string): { text: string; offset: number } {
  const offset = textWithMarker.indexOf('|');
  if (offset < 0) throw new Error('no | marker in the test document');
  return { text: textWithMarker.slice(0, offset) + textWithMarker.slice(offset + 1), offset };
}
