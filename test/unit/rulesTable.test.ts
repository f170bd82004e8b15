/**
 * The rules table (src/language/rules) is the one list of what is checked: it has a rule for
 * every stable diagnostic code and for nothing else, and README's table of diagnostic codes,
 * read from README.md itself, documents exactly those codes with the severity they are reported
 * with, so what users read cannot drift from what the editor shows.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DiagnosticCodes } from '../../src/protocol/ids';
import { RULES } from '../../src/language/rules';

const README = path.resolve(__dirname, '../../README.md');

/** How README's severity column words each severity. */
const SEVERITY_WORDS: Readonly<Record<DiagnosticSeverity, string>> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'information',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** The rows of the table under README's "Diagnostic codes" heading, as code → severity cell. */
function readmeSeverities(): Map<string, string> {
  const text = fs.readFileSync(README, 'utf8');
  const section = /^## Diagnostic codes\n([\s\S]*?)(?=^## )/m.exec(text);
  assert.ok(section, 'README.md has a "## Diagnostic codes" section');
  const rows = section[1]!
    .split('\n')
    .filter((line) => line.startsWith('|'))
    .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
  const [header, rule, ...body] = rows;
  assert.ok(header && rule?.every((cell) => /^:?-+:?$/.test(cell)), 'the section holds a Markdown table');
  const codeColumn = header.indexOf('code');
  const severityColumn = header.indexOf('severity');
  assert.ok(codeColumn >= 0 && severityColumn >= 0, `the table has "code" and "severity" columns: ${header.join(' | ')}`);
  const severities = new Map<string, string>();
  for (const cells of body) {
    const code = /^`([^`]+)`$/.exec(cells[codeColumn] ?? '')?.[1];
    assert.ok(code, `a row whose code is one code in backticks: ${cells.join(' | ')}`);
    assert.ok(!severities.has(code), `${code} has one row in README`);
    severities.set(code, cells[severityColumn] ?? '');
  }
  return severities;
}

describe('the rules table', () => {
  test('has exactly one rule for every diagnostic code, and no rule for a code that is not one', () => {
    const ruleCodes = RULES.map((rule) => rule.code);
    assert.equal(new Set(ruleCodes).size, ruleCodes.length, `a code with two rules: ${ruleCodes.join(', ')}`);
    assert.deepEqual([...ruleCodes].sort(), Object.values(DiagnosticCodes).sort());
  });

  test('README documents every rule, and only the rules, with the severity it is reported with', () => {
    const documented = readmeSeverities();
    assert.deepEqual([...documented.keys()].sort(), RULES.map((rule) => rule.code).sort());
    for (const rule of RULES) {
      assert.equal(documented.get(rule.code), SEVERITY_WORDS[rule.severity], `README's severity of ${rule.code}`);
    }
  });

  test('every rule checks something, and quick fixes belong to rules that report inside an invocation', () => {
    for (const rule of RULES) {
      assert.ok(rule.check.document ?? rule.check.invocation ?? rule.check.account, `${rule.code} has a check`);
      // Quick fixes are offered for the invocation a diagnostic's data names; a rule that only
      // reports on the document as a whole would offer a fix that never appears.
      if (rule.quickFix) assert.ok(rule.check.invocation ?? rule.check.account, `${rule.code}'s quick fix can be reached`);
    }
  });

  test('the account rules are warnings, checked only against the account, never as the user types', () => {
    const account = RULES.filter((rule) => rule.check.account);
    assert.deepEqual(
      account.map((rule) => rule.code),
      ['function-not-found', 'qualifier-not-found', 'tenant-id-required', 'tenant-id-not-accepted', 'durable-requires-qualifier', 'function-not-active'],
    );
    for (const rule of account) {
      assert.equal(rule.severity, DiagnosticSeverity.Warning, `${rule.code} is a warning: the account may have changed since it was read`);
      assert.equal(rule.check.document ?? rule.check.invocation, undefined, `${rule.code} has no check on the keystroke path`);
    }
  });
});
