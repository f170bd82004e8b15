/**
 * The extension's logic that needs no editor: which invocation a command is about, the
 * profile/region overrides and what the status bar and a copied CLI command name, what the user
 * is told about an outcome, and the New Invoke File template. (These modules import no `vscode`;
 * importing them here would fail if they did.)
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkFile } from '../../src/engine/run';
import { InvokeError } from '../../src/engine/types';
import { invocationLabel } from '../../src/protocol/invocationLabel';
import { INVOKE_FILE_SUFFIX, TEMPLATE_FUNCTION_NAME, invokeFileName, invokeFileTemplate, templateFunctionNameRange } from '../../src/client/commands/invokeFileTemplate';
import { attemptMessage, errorNotice, resultNotice, stampBlock } from '../../src/client/output/outcomes';
import { buildOverrides, cliTarget, overlaySelection, statusBarText, statusBarTooltip, workspaceRelativePath } from '../../src/client/profileRegion/overrides';
import {
  type InvocationSummary,
  documentFilePath,
  invocationAtOffset,
  invocationPickItems,
  parseInvocationRef,
  summarizeInvocations,
} from '../../src/client/invoke/selection';

const ROOT = path.resolve('/ws');

/** The invocations of a document as the engine reads them, and the offset of its `|` cursor marker. */
function withCursor(marked: string): { invocations: InvocationSummary[]; offset: number } {
  const offset = marked.indexOf('|');
  assert.ok(offset >= 0, 'the text needs a | marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const checked = checkFile({ filePath: path.join(ROOT, 'a.invoke.json'), text, workspaceRoots: [ROOT] });
  return { invocations: summarizeInvocations(checked.doc.invocations), offset };
}

const ARRAY_FILE = '[\n  {"name": "Create", "functionName": "orders"},\n  {"functionName": "billing"}\n]';

describe('the invocation under the cursor', () => {
  test('a single object is chosen wherever the cursor is', () => {
    for (const marked of ['|{"functionName": "f"}', '{"functionName": "f"}|', '{"functionName": "f"}\n\n|', '{"functionName": |"f"}']) {
      const { invocations, offset } = withCursor(marked);
      assert.equal(invocationAtOffset(invocations, offset)?.index, 0, marked);
    }
  });

  test('in an array, the element holding the cursor, braces included', () => {
    const cases: Array<[string, number]> = [
      [ARRAY_FILE.replace('{"name"', '|{"name"'), 0],
      [ARRAY_FILE.replace('"orders"}', '"orders"|}'), 0],
      [ARRAY_FILE.replace('"orders"}', '"orders"}|'), 0],
      [ARRAY_FILE.replace('"bill', '"b|ill'), 1],
      [ARRAY_FILE.replace('"billing"}', '"billing"}|'), 1],
    ];
    for (const [marked, index] of cases) {
      const { invocations, offset } = withCursor(marked);
      assert.equal(invocationAtOffset(invocations, offset)?.index, index, marked);
    }
  });

  test('in an array, none between elements or outside them: the command asks', () => {
    for (const marked of [`|${ARRAY_FILE}`, ARRAY_FILE.replace('},\n', '},|\n'), `${ARRAY_FILE}|`, ARRAY_FILE.replace('[\n', '[|\n')]) {
      const { invocations, offset } = withCursor(marked);
      assert.equal(invocationAtOffset(invocations, offset), undefined, marked);
    }
  });

  test('an array of one is that one, wherever the cursor is', () => {
    const { invocations, offset } = withCursor('[|\n  {"functionName": "only"}\n]');
    assert.equal(invocationAtOffset(invocations, offset)?.functionName, 'only');
  });

  test('a file without invocations has none to choose', () => {
    assert.equal(invocationAtOffset(withCursor('[|]').invocations, 1), undefined);
  });
});

describe('invocation names and the pick list', () => {
  test('summaries keep name and function name only when they are non-empty strings', () => {
    const { invocations } = withCursor('[{"name": "", "functionName": "f"}, {"name": 3, "functionName": 4}, {"name": "N", "functionName": "g"}]|');
    assert.deepEqual(
      invocations.map(({ index, name, functionName }) => ({ index, name, functionName })),
      [
        { index: 0, name: undefined, functionName: 'f' },
        { index: 1, name: undefined, functionName: undefined },
        { index: 2, name: 'N', functionName: 'g' },
      ],
    );
  });

  test('the label is the name, else the function, else the position', () => {
    assert.equal(invocationLabel({ index: 0, name: 'Create order', functionName: 'orders' }), 'Create order');
    assert.equal(invocationLabel({ index: 0, functionName: 'orders' }), 'orders');
    assert.equal(invocationLabel({ index: 3 }), 'invocation #3');
  });

  test('pick items show the function beside a name, and the index', () => {
    const { invocations } = withCursor(`${ARRAY_FILE}|`);
    assert.deepEqual(invocationPickItems(invocations), [
      { label: 'Create', description: 'orders', detail: '#0 in the file', index: 0 },
      { label: 'billing', detail: '#1 in the file', index: 1 },
    ]);
  });
});

describe('lens arguments arrive as JSON and are checked', () => {
  test('a {uri, index} is taken, surviving a JSON round trip', () => {
    const ref = { uri: 'file:///ws/a.invoke.json', index: 2 };
    assert.deepEqual(parseInvocationRef(JSON.parse(JSON.stringify(ref))), ref);
  });

  test('extra members are dropped', () => {
    assert.deepEqual(parseInvocationRef({ uri: 'untitled:Untitled-1', index: 0, extra: true }), { uri: 'untitled:Untitled-1', index: 0 });
  });

  test('anything else is refused', () => {
    const bad: unknown[] = [
      undefined,
      null,
      'file:///ws/a.invoke.json',
      [{ uri: 'file:///a', index: 0 }],
      { uri: 'file:///a' },
      { index: 0 },
      { uri: '', index: 0 },
      { uri: 'file:///a', index: -1 },
      { uri: 'file:///a', index: 1.5 },
      { uri: 'file:///a', index: '0' },
      { uri: 'file:///a', index: Number.NaN },
      { uri: 42, index: 0 },
    ];
    for (const value of bad) assert.equal(parseInvocationRef(value), undefined, JSON.stringify(value));
  });
});

describe('the file path given to the engine', () => {
  test('a saved file is its own path', () => {
    assert.equal(documentFilePath({ scheme: 'file', fsPath: '/ws/t/a.invoke.json', path: '/ws/t/a.invoke.json' }, [ROOT]), '/ws/t/a.invoke.json');
  });

  test('an untitled document lives in the first workspace folder, as the editor resolves its payload files', () => {
    assert.equal(documentFilePath({ scheme: 'untitled', fsPath: 'Untitled-1', path: 'Untitled-1' }, [ROOT, '/other']), path.join(ROOT, 'Untitled-1'));
  });

  test('untitled with no folder, or a virtual file system, has none', () => {
    assert.equal(documentFilePath({ scheme: 'untitled', fsPath: 'Untitled-1', path: 'Untitled-1' }, []), undefined);
    assert.equal(documentFilePath({ scheme: 'vscode-vfs', fsPath: '/x/a.invoke.json', path: '/x/a.invoke.json' }, [ROOT]), undefined);
  });
});

describe('overrides: the selection, then the settings', () => {
  test('the selection wins over the settings, per value', () => {
    assert.deepEqual(buildOverrides({ profile: 'dev' }, { profile: 'prod', region: 'eu-west-1', endpoint: 'http://localhost:4566' }), {
      profile: 'dev',
      region: 'eu-west-1',
      endpoint: 'http://localhost:4566',
    });
    assert.deepEqual(buildOverrides({ profile: 'dev', region: 'us-west-2' }, { profile: 'prod', region: 'eu-west-1' }), { profile: 'dev', region: 'us-west-2' });
  });

  test('blank values are no values; nothing set is no override at all', () => {
    assert.deepEqual(buildOverrides({ profile: '  ', region: '' }, { profile: '', region: ' us-east-2 ', endpoint: '' }), { region: 'us-east-2' });
    assert.deepEqual(buildOverrides({}, {}), {});
  });

  test('the server sees the selection laid over its settings', () => {
    assert.deepEqual(overlaySelection({ region: 'eu-west-1', endpoint: 'http://e' }, { region: 'us-west-2' }), { region: 'us-west-2', endpoint: 'http://e' });
    assert.deepEqual(overlaySelection({ region: 'eu-west-1' }, {}), { region: 'eu-west-1' });
    assert.deepEqual(overlaySelection({}, { profile: 'dev' }), { profile: 'dev' });
    for (const other of [null, undefined, 'x', [1]]) assert.deepEqual(overlaySelection(other, { region: 'us-west-2' }), other);
  });

  test('the status bar names what applies', () => {
    assert.equal(statusBarText({ profile: 'dev', region: 'us-west-2' }, {}), '$(cloud) dev · us-west-2');
    assert.equal(statusBarText({}, { region: 'eu-west-1' }), '$(cloud) default profile · eu-west-1');
    assert.equal(statusBarText({}, {}), '$(cloud) default profile · default region');
    const tooltip = statusBarTooltip({ profile: 'dev' }, { region: 'eu-west-1' });
    assert.match(tooltip, /Profile dev, selected for this workspace/);
    assert.match(tooltip, /Region eu-west-1, from the settings/);
  });

  test('with nothing picked or set, the status bar falls back on the environment, as the engine does', () => {
    const env = { AWS_PROFILE: 'ci', AWS_DEFAULT_REGION: 'ap-south-1' };
    assert.equal(statusBarText({}, {}, env), '$(cloud) ci · ap-south-1');
    assert.equal(statusBarText({}, {}, { ...env, AWS_REGION: 'us-east-2' }), '$(cloud) ci · us-east-2');
    assert.equal(statusBarText({ region: 'us-west-2' }, { profile: 'dev' }, env), '$(cloud) dev · us-west-2');
    const tooltip = statusBarTooltip({}, {}, env);
    assert.match(tooltip, /Profile ci, from AWS_PROFILE/);
    assert.match(tooltip, /Region ap-south-1, from AWS_DEFAULT_REGION/);
    assert.match(statusBarTooltip({}, {}, {}), /Region: the function ARN's, else the profile's/);
  });
});

describe('what a copied CLI command names', () => {
  const resolved = { region: 'us-west-2', endpoint: new URL('https://lambda.us-west-2.amazonaws.com'), isDefaultEndpoint: true };

  test('resolved: the region always, no standard endpoint, the profile only when asked for', () => {
    assert.deepEqual(cliTarget({}, {}, resolved), { region: 'us-west-2' });
    assert.deepEqual(cliTarget({ profile: 'file-profile' }, { profile: 'dev' }, resolved), { region: 'us-west-2', profile: 'file-profile' });
    assert.deepEqual(cliTarget({}, { profile: 'dev' }, resolved), { region: 'us-west-2', profile: 'dev' });
  });

  test('resolved to another endpoint: it is named, without the bare slash URL adds', () => {
    const local = { region: 'us-east-1', endpoint: new URL('http://localhost:4566'), isDefaultEndpoint: false };
    assert.deepEqual(cliTarget({}, {}, local), { region: 'us-east-1', endpoint: 'http://localhost:4566' });
    const withPath = { ...local, endpoint: new URL('https://proxy.example/lambda/') };
    assert.equal(cliTarget({}, {}, withPath).endpoint, 'https://proxy.example/lambda/');
  });

  test('unresolved: the file, then the selection and settings', () => {
    assert.deepEqual(cliTarget({ region: 'eu-west-1' }, { region: 'us-east-2', endpoint: 'http://localhost:4566' }), {
      region: 'eu-west-1',
      endpoint: 'http://localhost:4566',
    });
    assert.deepEqual(cliTarget({ endpoint: 'http://file' }, { endpoint: 'http://setting', profile: 'dev' }), { endpoint: 'http://file', profile: 'dev' });
    assert.deepEqual(cliTarget({}, {}), {});
  });

  test('payload files are named relative to the workspace folder holding them', () => {
    const file = path.join(ROOT, 'payloads', 'big order.json');
    assert.deepEqual(workspaceRelativePath(file, ['/elsewhere', ROOT]), { path: 'payloads/big order.json', root: ROOT });
    assert.equal(workspaceRelativePath(path.resolve('/outside/p.json'), [ROOT]), undefined);
    assert.equal(workspaceRelativePath(path.join(ROOT, '..', 'wsx', 'p.json'), [ROOT]), undefined);
    assert.deepEqual(workspaceRelativePath(path.join(ROOT, '..name.json'), [ROOT]), { path: '..name.json', root: ROOT });
  });
});

describe('what the user is told', () => {
  test('a retry shows why and when in the progress message', () => {
    assert.equal(
      attemptMessage({ number: 1, retryReason: 'throttled (429 TooManyRequestsException)', delayMs: 2000 }),
      'Throttled (429 TooManyRequestsException); retrying in 2 s (try 2)…',
    );
    assert.equal(attemptMessage({ number: 2, retryReason: 'could not connect (refused)', delayMs: 500 }), 'Could not connect (refused); retrying in 0.5 s (try 3)…');
    assert.equal(attemptMessage({ number: 1 }), 'Try 1 failed; retrying (try 2)…');
  });

  test('success passes in the status bar; 202 and 204 say what they mean', () => {
    assert.deepEqual(resultNotice('orders', { statusCode: 200, durationMs: 123.4 }), { severity: 'status', text: '$(check) orders: 200 in 123 ms' });
    assert.deepEqual(resultNotice('orders', { statusCode: 202, durationMs: 1500 }), { severity: 'status', text: '$(check) orders: queued by Lambda (202) in 1.5 s' });
    assert.match(resultNotice('orders', { statusCode: 204, durationMs: 80 }).text, /^\$\(check\) Dry run of orders passed \(204\)/);
  });

  test('a function error is an error notification with its type and message, and Show Output', () => {
    const notice = resultNotice('orders', {
      statusCode: 200,
      durationMs: 10,
      functionError: 'Unhandled',
      errorDetails: { errorType: 'TypeError', errorMessage: 'x is undefined' },
    });
    assert.deepEqual(notice, { severity: 'error', text: 'orders failed: the function returned an error (Unhandled): TypeError: x is undefined', action: 'showOutput' });
    assert.equal(resultNotice('orders', { statusCode: 200, durationMs: 10, functionError: 'Handled' }).text, 'orders failed: the function returned an error (Handled).');
  });

  test('a file with errors: "Not sent: …" and Show Problems', () => {
    const error = new InvokeError('validation', 'Not sent: the invocation has 2 errors that Lambda would reject.', {
      hint: 'Fix the problems marked in the file, then invoke again.',
      diagnostics: ['/ws/a.invoke.json:1:2: error schema x', '/ws/a.invoke.json:3:4: error schema y'],
    });
    assert.deepEqual(errorNotice('orders', error), { severity: 'error', text: 'Not sent: the invocation has 2 errors that Lambda would reject.', action: 'showProblems' });
    const unprefixed = new InvokeError('validation', 'The file has errors.', { diagnostics: ['x'] });
    assert.equal(errorNotice('orders', unprefixed).text, 'Not sent: The file has errors.');
  });

  test('other failures: the message and the hint, and Show Output', () => {
    const error = new InvokeError('service', 'Function not found: orders.', { hint: 'Check the name, qualifier, region and account.', errorType: 'ResourceNotFoundException' });
    assert.deepEqual(errorNotice('orders', error), {
      severity: 'error',
      text: 'orders: Function not found: orders. Check the name, qualifier, region and account.',
      action: 'showOutput',
    });
    // A validation error without diagnostics (no such invocation) has no problems to show.
    assert.equal(errorNotice('a.invoke.json', new InvokeError('validation', 'a.invoke.json holds no invocation.')).action, 'showOutput');
  });

  test('a cancel is no error, unless the function may be running', () => {
    const before = new InvokeError('cancelled', 'Cancelled before the request was sent: the function did not run.', { mayHaveRun: false });
    assert.deepEqual(errorNotice('orders', before), { severity: 'info', text: 'orders: Cancelled before the request was sent: the function did not run.' });
    const after = new InvokeError('cancelled', 'Cancelled after the request was sent: the function may still be running.', { mayHaveRun: true });
    assert.equal(errorNotice('orders', after).severity, 'warning');
    assert.equal(errorNotice('orders', after).action, 'showOutput');
  });

  test('each output block starts with the local time', () => {
    const at = new Date(2025, 0, 2, 3, 4, 5);
    assert.equal(stampBlock('✔ orders — 200 OK\n  Status: 200 OK\n', at), '[03:04:05] ✔ orders — 200 OK\n  Status: 200 OK\n');
    assert.equal(stampBlock('no newline', at), '[03:04:05] no newline\n');
  });
});

describe('New Invoke File', () => {
  test('names get the suffix once, and may hold folders', () => {
    assert.deepEqual(invokeFileName('create-order'), { path: `create-order${INVOKE_FILE_SUFFIX}` });
    assert.deepEqual(invokeFileName('  create-order.invoke.json '), { path: 'create-order.invoke.json' });
    assert.deepEqual(invokeFileName('create-order.json'), { path: 'create-order.invoke.json' });
    assert.deepEqual(invokeFileName('tests\\orders/create'), { path: 'tests/orders/create.invoke.json' });
  });

  test('names that would not make a file inside the folder are refused with why', () => {
    for (const bad of ['', '   ', '.invoke.json', '/abs/x', 'C:/x', 'a/../../x', '../x', 'a//b', './x', 'a?b', 'a:b', 'a\u0007b', 'dir./x', 'dir /x']) {
      const result = invokeFileName(bad);
      assert.ok('problem' in result, `${JSON.stringify(bad)} should be refused`);
    }
  });

  test('the template is a valid invocation: synchronous, with the log tail and a small payload', () => {
    const text = invokeFileTemplate();
    const value = JSON.parse(text) as Record<string, unknown>;
    assert.equal(value.functionName, TEMPLATE_FUNCTION_NAME);
    assert.equal(value.invocationType, 'RequestResponse');
    assert.equal(value.logType, 'Tail');
    assert.equal(typeof value.payload, 'object');
    const checked = checkFile({ filePath: path.join(ROOT, 'new.invoke.json'), text, workspaceRoots: [ROOT] });
    assert.deepEqual(checked.diagnostics, []);
  });

  test('the function name is found, to be selected', () => {
    const text = invokeFileTemplate();
    const range = templateFunctionNameRange(text)!;
    assert.equal(text.slice(range.offset, range.offset + range.length), TEMPLATE_FUNCTION_NAME);
    assert.equal(templateFunctionNameRange('{}'), undefined);
  });
});
