/**
 * The examples/ workspace says what examples/README.md says it does: every example checks clean,
 * each file under examples/mistakes/ raises exactly the diagnostic code it is named after (and
 * every code has such a file), the examples call only functions, versions and aliases that
 * examples/lambda-invoke.local.json declares, each handler file exports its handler, each function
 * describes itself for the control plane, and the README walks through every file.
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { checkFile, formatDiagnostic } from '../../src/engine/run';
import { checkFunctionName } from '../../src/lambda/functionName';
import { DiagnosticCodes } from '../../src/protocol/ids';
import { RULES } from '../../src/language/rules';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const MISTAKES = path.join(EXAMPLES, 'mistakes');
const SUFFIX = '.invoke.json';

function invokeFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(SUFFIX))
    .sort()
    .map((name) => path.join(dir, name));
}

function check(file: string) {
  return checkFile({ filePath: file, workspaceRoots: [EXAMPLES] });
}

/** The diagnostics, one per line as the CLI prints them, for assertion messages. */
function listing(file: string, diagnostics: ReturnType<typeof check>['diagnostics']): string {
  return diagnostics.map((d) => formatDiagnostic(path.relative(EXAMPLES, file), d)).join('\n') || '(none)';
}

interface LocalFunction {
  handler: string;
  description?: string;
  versions?: Record<string, unknown>;
  aliases?: Record<string, string>;
}

const local = JSON.parse(fs.readFileSync(path.join(EXAMPLES, 'lambda-invoke.local.json'), 'utf8')) as { functions: Record<string, LocalFunction> };

before(() => {
  // payload-too-large.invoke.json points at a 1.1 MB file that is generated, not kept in git.
  execFileSync(process.execPath, [path.join(MISTAKES, 'make-large-payload.mjs')], { stdio: 'ignore' });
});

describe('the examples', () => {
  const files = invokeFiles(EXAMPLES);

  test('there are examples of every kind the README lists', () => {
    const names = files.map((f) => path.basename(f));
    for (const expected of ['hello', 'alias', 'event', 'dry-run', 'function-error', 'timeout', 'payload-file', 'client-context', 'smoke']) {
      assert.ok(names.includes(`${expected}${SUFFIX}`), `examples/${expected}${SUFFIX}`);
    }
  });

  for (const file of files) {
    test(`${path.basename(file)} has no errors and no warnings`, () => {
      const { diagnostics } = check(file);
      assert.equal(diagnostics.length, 0, listing(file, diagnostics));
    });
  }

  test('each invocation calls a declared function, and a version or alias it has', () => {
    for (const file of files) {
      for (const invocation of check(file).doc.invocations) {
        const where = `${path.basename(file)} [${invocation.index}]`;
        const name = checkFunctionName(String(invocation.value.functionName));
        assert.ok(name.ok, where);
        const declared = local.functions[name.parts.name];
        assert.ok(declared, `${where}: ${name.parts.name} is not in lambda-invoke.local.json`);
        const qualifier = name.parts.qualifier ?? (typeof invocation.value.qualifier === 'string' ? invocation.value.qualifier : undefined);
        if (qualifier !== undefined && qualifier !== '$LATEST') {
          assert.ok(qualifier in (declared.versions ?? {}) || qualifier in (declared.aliases ?? {}), `${where}: ${name.parts.name} has no version or alias ${qualifier}`);
        }
      }
    }
  });

  test('the example with a payload file sends examples/events/order.json', () => {
    const checked = check(path.join(EXAMPLES, `payload-file${SUFFIX}`));
    assert.equal(checked.doc.invocations[0]?.value.payloadFile, 'events/order.json');
  });

  test('the array file holds several named invocations', () => {
    const invocations = check(path.join(EXAMPLES, `smoke${SUFFIX}`)).doc.invocations;
    assert.ok(invocations.length >= 3);
    for (const invocation of invocations) assert.equal(typeof invocation.value.name, 'string');
  });
});

describe('the functions of lambda-invoke.local.json', () => {
  const require = createRequire(__filename);

  for (const [name, fn] of Object.entries(local.functions)) {
    test(`${name}: ${fn.handler} is a file of examples/ exporting a function`, () => {
      const dot = fn.handler.lastIndexOf('.');
      const file = path.join(EXAMPLES, `${fn.handler.slice(0, dot)}.js`);
      assert.ok(fs.existsSync(file), file);
      const module = require(file) as Record<string, unknown>;
      assert.equal(typeof module[fn.handler.slice(dot + 1)], 'function');
    });

    test(`${name}: says what it does, as aws lambda list-functions shows it (Description, at most 256 characters)`, () => {
      assert.ok(fn.description && fn.description.length <= 256, fn.description);
    });

    test(`${name}: its aliases point at versions it has`, () => {
      for (const [alias, version] of Object.entries(fn.aliases ?? {})) {
        assert.ok(version === '$LATEST' || version in (fn.versions ?? {}), `${alias} → ${version}`);
      }
    });
  }
});

describe('the mistakes', () => {
  const files = invokeFiles(MISTAKES);
  // The account codes need an account to be raised: test/unit/accountRules.test.ts has a document for each.
  const codes = RULES.filter((rule) => !rule.check.account).map((rule) => rule.code);

  test('one file for each diagnostic code, named after it', () => {
    assert.deepEqual(files.map((f) => path.basename(f, SUFFIX)).sort(), [...codes].sort());
  });

  for (const file of files) {
    const code = path.basename(file, SUFFIX);
    test(`${path.basename(file)} raises ${code}, and only that`, () => {
      const { diagnostics } = check(file);
      assert.ok(diagnostics.length > 0, `no diagnostics for ${path.basename(file)}`);
      assert.deepEqual([...new Set(diagnostics.map((d) => d.code))], [code], listing(file, diagnostics));
    });
  }

  test('the warnings are warnings; every other code is an error', () => {
    const warnings = new Set<string>([DiagnosticCodes.regionMismatch, DiagnosticCodes.clientContextUnknownKey, DiagnosticCodes.asyncIgnoresClientContext, DiagnosticCodes.asyncIgnoresLogTail]);
    for (const file of files) {
      const code = path.basename(file, SUFFIX);
      const expected = warnings.has(code) ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
      for (const d of check(file).diagnostics) assert.equal(d.severity, expected, formatDiagnostic(path.basename(file), d));
    }
  });

  test('the oversized payload file is generated, not committed: git ignores it', () => {
    const ignore = fs.readFileSync(path.resolve(EXAMPLES, '../.gitignore'), 'utf8').split('\n');
    assert.ok(ignore.includes('examples/mistakes/generated/'));
    assert.ok(fs.statSync(path.join(MISTAKES, 'generated', 'large-order.json')).size > 1024 * 1024);
  });
});

describe('examples/README.md', () => {
  const readme = fs.readFileSync(path.join(EXAMPLES, 'README.md'), 'utf8');

  test('walks through every invoke file, function and mistake', () => {
    const mentioned = (file: string) => readme.includes(path.relative(EXAMPLES, file).split(path.sep).join('/'));
    for (const file of [...invokeFiles(EXAMPLES), ...invokeFiles(MISTAKES)]) assert.ok(mentioned(file), path.relative(EXAMPLES, file));
    for (const name of Object.keys(local.functions)) assert.ok(readme.includes(`\`${name}\``), name);
  });
});
