/**
 * The mistake files of examples/mistakes/: each shows its diagnostic code on the right range,
 * with the right severity, as VS Code itself holds them (vscode.languages.getDiagnostics).
 */
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
import * as vscode from 'vscode';
import { api, codeOf, describeDiagnostics, openDocument, rangeOf, waitForCodes } from './helpers';

interface Expected {
  code: string;
  /** The text the range covers; searched from the start of `line` (0-based). */
  covers: string;
  line: number;
  occurrence?: number;
  severity?: vscode.DiagnosticSeverity;
}

const { Error: E, Warning: W } = vscode.DiagnosticSeverity;

const MISTAKES: Record<string, Expected[]> = {
  'json-syntax': [
    { code: 'json-syntax', covers: '// invoke files are strict JSON: no comments', line: 2, severity: E },
    // The two trailing commas of `  "payload": { "name": "Ada", },`, each on its own.
    { code: 'json-syntax', covers: ',', line: 3, occurrence: 0, severity: E },
    { code: 'json-syntax', covers: ',', line: 3, occurrence: 1, severity: E },
  ],
  schema: [
    { code: 'schema', covers: '"tail"', line: 3, severity: E },
    { code: 'schema', covers: '"paylod"', line: 4, severity: E },
  ],
  'function-name-invalid': [{ code: 'function-name-invalid', covers: '"hello world"', line: 2, severity: E }],
  'qualifier-conflict': [{ code: 'qualifier-conflict', covers: '"1"', line: 3, severity: E }],
  'region-mismatch': [{ code: 'region-mismatch', covers: '"us-east-1"', line: 3, severity: W }],
  'payload-too-large': [{ code: 'payload-too-large', covers: '"generated/large-order.json"', line: 4, severity: E }],
  'payload-file-missing': [{ code: 'payload-file-missing', covers: '"events/order.json"', line: 3, severity: E }],
  'payload-file-outside-workspace': [{ code: 'payload-file-outside-workspace', covers: '"../../package.json"', line: 3, severity: E }],
  'client-context-not-base64': [{ code: 'client-context-not-base64', covers: '"{\\"custom\\": {\\"tenant\\": \\"acme\\"}}"', line: 3, severity: E }],
  'async-ignores-log-tail': [{ code: 'async-ignores-log-tail', covers: '"logType"', line: 4, severity: W }],
  'endpoint-invalid': [{ code: 'endpoint-invalid', covers: '"localhost:3001"', line: 3, severity: E }],
};

suite('diagnostics of the mistake files', () => {
  suiteSetup(async () => {
    await api();
  });

  for (const [name, expected] of Object.entries(MISTAKES)) {
    test(`mistakes/${name}.invoke.json: ${expected.map((e) => e.code).join(', ')} on the right ranges`, async () => {
      const document = await openDocument('mistakes', `${name}.invoke.json`);
      const diagnostics = await waitForCodes(
        document,
        expected.map((e) => e.code),
      );
      const actual = diagnostics
        .map((d) => ({ code: codeOf(d), range: d.range, severity: d.severity, source: d.source }))
        .sort((a, b) => a.range.start.compareTo(b.range.start));
      const wanted = expected
        .map((e) => ({ code: e.code, range: rangeOf(document, e.covers, { line: e.line, occurrence: e.occurrence ?? 0 }), severity: e.severity ?? E, source: 'lambda-invoke' }))
        .sort((a, b) => a.range.start.compareTo(b.range.start));
      const show = (list: typeof actual) =>
        list.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} sev ${d.severity} ${d.source ?? ''}`).join('\n');
      assert.equal(show(actual), show(wanted), `diagnostics of mistakes/${name}.invoke.json:\n${describeDiagnostics(diagnostics, document)}`);
      for (const d of diagnostics) assert.ok(d.message.length > 20, `a message that says what is wrong (${codeOf(d)}): ${d.message}`);
    });
  }
});
