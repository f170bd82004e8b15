/**
 * The account rules (src/language/rules/account.ts) through accountDiagnostics, against a fake
 * account: each code fires where the account says so and not a step short of it, on the value
 * at fault, with a message that says what to do; each quick fix makes the edit that mends it,
 * keeping the name's ARN form and qualifier; and nothing is said while nothing is known.
 * accountFactsNeeded is held to the facts those checks read.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-types';
import { type AccountFactsLookup, accountDiagnostics, accountFactsNeeded, worthAsking } from '../../src/language/account';
import { codeActions } from '../../src/language/codeActions';
import { RULES } from '../../src/language/rules';
import { type Analyzed, analyze, codes, covered } from './helpers';
import { applyAction, messageOf } from './builders';
import { ACCOUNT_ID, type FakeAccount, NOTHING_KNOWN, REGION, arnOf, functionFacts, lookupOf } from './accountFixtures';

interface Checked extends Analyzed {
  account: Diagnostic[];
}

function check(text: string, account: FakeAccount | AccountFactsLookup = {}): Checked {
  const a = analyze(text);
  const lookup = 'functions' in account && typeof account.functions === 'function' ? (account as AccountFactsLookup) : lookupOf(account as FakeAccount);
  return { ...a, account: accountDiagnostics(a.document, a.doc, lookup) };
}

function accountCodes(text: string, account: FakeAccount | AccountFactsLookup = {}): string[] {
  return check(text, account).account.map((d) => String(d.code));
}

/** The one account diagnostic with `code`, with what it covers. */
function only(text: string, code: string, account: FakeAccount = {}): { c: Checked; d: Diagnostic; covers: string } {
  const c = check(text, account);
  const found = c.account.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${JSON.stringify(c.account.map((d) => [d.code, messageOf(d)]))}`);
  return { c, d: found[0]!, covers: covered(c, found[0]!) };
}

/** The text after taking the quick fix of the one `code` diagnostic; undefined when it has none. */
function fixedBy(text: string, code: string, account: FakeAccount = {}): { title: string; text: string } | undefined {
  const { c, d } = only(text, code, account);
  const actions = codeActions(c.document, c.doc, c.document.offsetAt(d.range.start), [d]).filter((a) => a.diagnostics?.[0] === d);
  assert.ok(actions.length <= 1, 'at most one fix per diagnostic');
  const action = actions[0];
  return action && { title: action.title, text: applyAction(c.document, action) };
}

const call = (fields: Record<string, unknown>) => JSON.stringify(fields, null, 2);

describe('function-not-found', () => {
  test('a name the catalogue lacks: a warning on the value, the nearest name, and a fix that takes it', () => {
    const text = call({ functionName: 'orders-servce', payload: {} });
    const { d, covers } = only(text, 'function-not-found');
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.equal(covers, '"orders-servce"');
    assert.equal(messageOf(d), 'Lambda has no function "orders-servce" in the selected region. Did you mean "orders-service"?');
    const fix = fixedBy(text, 'function-not-found');
    assert.equal(fix?.title, 'Change to "orders-service"');
    assert.equal(fix?.text, call({ functionName: 'orders-service', payload: {} }));
    assert.deepEqual(accountCodes(fix.text), []);
  });

  test('a listed name is found; so is one Lambda itself answers for, whatever the catalogue says', () => {
    assert.deepEqual(accountCodes(call({ functionName: 'orders-service' })), []);
    assert.deepEqual(accountCodes(call({ functionName: 'billing' })), []);
    // A function created since the catalogue was read: its own answer wins.
    assert.deepEqual(accountCodes(call({ functionName: 'brand-new' }), { functions: { 'brand-new': functionFacts('brand-new') } }), []);
  });

  test('the fix keeps a qualifier after the name', () => {
    const fix = fixedBy(call({ functionName: 'orders-servce:prod' }), 'function-not-found');
    assert.equal(fix?.text, call({ functionName: 'orders-service:prod' }));
  });

  test('an ARN keeps its form and qualifier, and the message names the region it was looked for in', () => {
    const account = { target: { region: REGION } };
    const text = call({ functionName: `${arnOf('orders-servce')}:live` });
    const { d } = only(text, 'function-not-found', account);
    assert.match(messageOf(d), / in us-west-2\. Did you mean "orders-service"\?$/);
    assert.equal(fixedBy(text, 'function-not-found', account)?.text, call({ functionName: `${arnOf('orders-service')}:live` }));
    const partial = call({ functionName: `${ACCOUNT_ID}:function:billng` });
    assert.equal(fixedBy(partial, 'function-not-found')?.text, call({ functionName: `${ACCOUNT_ID}:function:billing` }));
  });

  test('the message says the profile and endpoint it was looked up with', () => {
    const target = { region: 'eu-west-1', profile: 'dev', endpoint: 'http://127.0.0.1:3001' };
    const { d } = only(call({ functionName: 'nope-nothing-like-it', ...target }), 'function-not-found', { target });
    assert.equal(
      messageOf(d),
      'Lambda has no function "nope-nothing-like-it" in eu-west-1 for profile "dev" at http://127.0.0.1:3001. Check the name, and the region and profile it is looked up with.',
    );
    assert.equal(fixedBy(call({ functionName: 'nope-nothing-like-it', ...target }), 'function-not-found', { target }), undefined, 'no guess, no fix');
  });

  test("another account's function is not judged by this account's catalogue", () => {
    assert.deepEqual(accountCodes(call({ functionName: '210987654321:function:anything' }), { functions: 'unknown' }), []);
    assert.deepEqual(accountCodes(call({ functionName: arnOf('anything', REGION, '210987654321') }), { target: { region: REGION }, functions: 'unknown' }), []);
  });

  test('a truncated catalogue cannot tell, but Lambda saying not-found can, even without the catalogue', () => {
    assert.deepEqual(accountCodes(call({ functionName: 'orders-servce' }), { truncated: true, functions: 'unknown' }), []);
    assert.deepEqual(accountCodes(call({ functionName: 'orders-servce' }), { truncated: true }), ['function-not-found']);
    const { d } = only(call({ functionName: 'ghost' }), 'function-not-found', { catalogue: 'unknown' });
    assert.match(messageOf(d), /Check the name/);
  });

  test('each function of an array file is judged on its own, with the fix in the right element', () => {
    const text = JSON.stringify([{ functionName: 'billing' }, { functionName: 'biling' }]);
    const c = check(text);
    assert.deepEqual(c.account.map((d) => [d.code, covered(c, d)]), [['function-not-found', '"biling"']]);
    assert.equal(fixedBy(text, 'function-not-found')?.text, JSON.stringify([{ functionName: 'billing' }, { functionName: 'billing' }]));
  });
});

describe('qualifier-not-found', () => {
  test('a qualifier field that names no alias or version: the inventory, the nearest alias and its fix', () => {
    const text = call({ functionName: 'orders-service', qualifier: 'prd' });
    const { d, covers } = only(text, 'qualifier-not-found');
    assert.equal(covers, '"prd"');
    assert.equal(
      messageOf(d),
      '"orders-service" has no version or alias "prd": it has $LATEST, versions 1, 2, 3 and 4, and the aliases "prod" and "staging". Did you mean "prod"?',
    );
    assert.equal(fixedBy(text, 'qualifier-not-found')?.text, call({ functionName: 'orders-service', qualifier: 'prod' }));
  });

  test('after the name, the warning is on the name and the fix changes only the qualifier', () => {
    const text = call({ functionName: 'orders-service:stagign' });
    assert.equal(only(text, 'qualifier-not-found').covers, '"orders-service:stagign"');
    assert.equal(fixedBy(text, 'qualifier-not-found')?.text, call({ functionName: 'orders-service:staging' }));
    const arn = call({ functionName: `${arnOf('orders-service')}:stagign` });
    assert.equal(fixedBy(arn, 'qualifier-not-found', { target: { region: REGION } })?.text, call({ functionName: `${arnOf('orders-service')}:staging` }));
  });

  test('an unpublished version number suggests the newest published one', () => {
    const { d } = only(call({ functionName: 'orders-service', qualifier: '9' }), 'qualifier-not-found');
    assert.match(messageOf(d), /Did you mean "4"\?$/);
  });

  test('$LATEST, every version and alias, and $LATEST.PUBLISHED once a version exists, are found', () => {
    const tenantApi = only(call({ functionName: 'tenant-api', tenantId: 't', qualifier: 'live' }), 'qualifier-not-found').d;
    assert.match(messageOf(tenantApi), /: it has \$LATEST and version 1\. Publish the version or create the alias/);
    for (const qualifier of ['$LATEST', '1', '4', 'prod', 'staging', '$LATEST.PUBLISHED']) {
      assert.deepEqual(accountCodes(call({ functionName: 'orders-service', qualifier })), [], qualifier);
      assert.deepEqual(accountCodes(call({ functionName: `orders-service:${qualifier}` })), [], qualifier);
    }
    assert.deepEqual(accountCodes(call({ functionName: 'billing', qualifier: '$LATEST.PUBLISHED' })), ['qualifier-not-found']);
    assert.match(messageOf(only(call({ functionName: 'billing', qualifier: 'live' }), 'qualifier-not-found').d), /it has only \$LATEST: no version is published and no alias made\. Publish/);
  });

  test('written twice, the same: the warning, with no fix that would leave the two disagreeing', () => {
    const text = call({ functionName: 'orders-service:prd', qualifier: 'prd' });
    assert.equal(only(text, 'qualifier-not-found').covers, '"prd"');
    assert.equal(fixedBy(text, 'qualifier-not-found'), undefined);
  });

  test('a qualifier with problems of its own is left to qualifier-invalid and qualifier-conflict', () => {
    assert.deepEqual(accountCodes(call({ functionName: 'orders-service', qualifier: 'a.b' })), []);
    assert.deepEqual(accountCodes(call({ functionName: 'orders-service:prod', qualifier: 'prd' })), []);
    assert.deepEqual(accountCodes(call({ functionName: 'orders-service', qualifier: '' })), []);
  });
});

describe('tenant-id-required and tenant-id-not-accepted', () => {
  test('a tenant-isolated function without tenantId: the warning, and a fix that adds an empty one to fill in', () => {
    const text = call({ functionName: 'tenant-api', payload: {} });
    const { d, covers } = only(text, 'tenant-id-required');
    assert.equal(covers, '"tenant-api"');
    assert.equal(messageOf(d), '"tenant-api" is tenant-isolated (PER_TENANT): Lambda rejects a call to it without a tenant id. Add "tenantId" with the tenant to run for.');
    const fix = fixedBy(text, 'tenant-id-required');
    assert.equal(fix?.title, 'Add "tenantId" (then fill in the tenant)');
    assert.equal(fix?.text, '{\n  "functionName": "tenant-api",\n  "tenantId": "",\n  "payload": {}\n}');
    // Not sendable as it is: the empty id is an error until it is filled in.
    assert.deepEqual(codes(fix.text), ['tenant-id-invalid']);
    assert.deepEqual(accountCodes(fix.text), []);
  });

  test('with a tenantId, a tenant-isolated function is called as it should be', () => {
    assert.deepEqual(accountCodes(call({ functionName: 'tenant-api', tenantId: 'acme' })), []);
  });

  test('a tenantId for a function without tenant isolation: the warning on it, and a fix that removes it', () => {
    const text = call({ functionName: 'billing', tenantId: 'acme', payload: {} });
    const { d, covers } = only(text, 'tenant-id-not-accepted');
    assert.equal(covers, '"acme"');
    assert.match(messageOf(d), /^"billing" is not tenant-isolated: .* Remove "tenantId"\.$/);
    const fix = fixedBy(text, 'tenant-id-not-accepted');
    assert.equal(fix?.title, 'Remove "tenantId" (the function is not tenant-isolated)');
    assert.equal(fix?.text, call({ functionName: 'billing', payload: {} }));
    assert.deepEqual(accountCodes(call({ functionName: 'billing' })), []);
  });
});

describe('durable-requires-qualifier', () => {
  test('a durable function called unqualified: a fix that adds its newest published version', () => {
    const text = call({ functionName: 'workflow', payload: {} });
    const { d, covers } = only(text, 'durable-requires-qualifier');
    assert.equal(covers, '"workflow"');
    assert.match(messageOf(d), /^"workflow" is a durable function: Lambda invokes it only by a version, an alias or \$LATEST.* Add "qualifier": "7"/);
    const fix = fixedBy(text, 'durable-requires-qualifier');
    assert.equal(fix?.title, 'Add "qualifier": "7" (the newest published version)');
    assert.equal(fix?.text, '{\n  "functionName": "workflow",\n  "qualifier": "7",\n  "payload": {}\n}');
    assert.deepEqual([...codes(fix.text), ...accountCodes(fix.text)], []);
  });

  test('with no version published, the fix adds $LATEST, and the message says why a version is better', () => {
    const text = '{"functionName":"new-workflow"}';
    assert.match(messageOf(only(text, 'durable-requires-qualifier').d), /\$LATEST changes under a running execution/);
    const fix = fixedBy(text, 'durable-requires-qualifier');
    assert.equal(fix?.title, 'Add "qualifier": "$LATEST" (no version is published yet)');
    assert.equal(fix?.text, '{"functionName":"new-workflow", "qualifier": "$LATEST"}');
  });

  test('qualified by field, by name or with $LATEST, or not durable: no warning', () => {
    assert.deepEqual(accountCodes(call({ functionName: 'workflow', qualifier: '2' })), []);
    assert.deepEqual(accountCodes(call({ functionName: 'workflow:7' })), []);
    assert.deepEqual(accountCodes(call({ functionName: 'workflow:$LATEST' })), []);
    assert.deepEqual(accountCodes(call({ functionName: 'billing' })), []);
  });
});

describe('function-not-active', () => {
  test('a Failed $LATEST: the warning says so, with Lambda\'s reason', () => {
    const { d, covers } = only(call({ functionName: 'broken' }), 'function-not-active');
    assert.equal(covers, '"broken"');
    assert.equal(
      messageOf(d),
      '"broken" could not be set up (Failed): invocations fail. Fix what the reason says and deploy it again. Lambda says: "The role defined for the function cannot be assumed by Lambda."',
    );
    assert.deepEqual(accountCodes(call({ functionName: 'broken:$LATEST' })), ['function-not-active']);
  });

  test('Pending and Inactive too; Active, or a call to a published version, not', () => {
    const inState = (state: string) => ({ functions: { f: functionFacts('f', { state }, { versions: ['1'] }) }, catalogue: [] });
    assert.match(messageOf(only('{"functionName":"f"}', 'function-not-active', inState('Pending')).d), /Pending/);
    assert.match(messageOf(only('{"functionName":"f"}', 'function-not-active', inState('Inactive')).d), /Inactive: it was idle/);
    assert.deepEqual(accountCodes('{"functionName":"f"}', inState('Active')), []);
    // The state read is $LATEST's; version 1 has its own.
    assert.deepEqual(accountCodes('{"functionName":"f:1"}', inState('Failed')), []);
  });
});

describe('when nothing is known, or the account cannot be asked', () => {
  const wrong = call({ functionName: 'orders-servce', qualifier: 'prd', tenantId: 'x' });

  test('no facts yet: no warning', () => {
    assert.deepEqual(accountCodes(wrong, NOTHING_KNOWN), []);
    assert.deepEqual(accountCodes(wrong, { catalogue: 'unknown', functions: 'unknown' }), []);
  });

  test('unavailable answers say nothing', () => {
    assert.deepEqual(accountCodes(wrong, { everything: { kind: 'unavailable', reason: 'credentials', message: 'Run aws sso login.' } }), []);
  });

  test('a function name with problems of its own, a syntax error, or a region the ARN contradicts: no account check', () => {
    assert.deepEqual(accountCodes('{"functionName":"orders servce"}'), []);
    assert.deepEqual(accountCodes('{"functionName":"orders-servce",}'), []);
    assert.deepEqual(accountCodes(call({ functionName: arnOf('orders-servce'), region: 'eu-west-1' }), { target: { region: 'eu-west-1' } }), []);
  });
});

describe('accountFactsNeeded', () => {
  test('an invocation needs the catalogue at its target and its function, named without the qualifier', () => {
    assert.deepEqual(accountFactsNeeded(analyze(call({ functionName: 'orders-service:prod', region: 'eu-west-1', profile: 'dev' })).doc), [
      { kind: 'functions', target: { region: 'eu-west-1', profile: 'dev' } },
      { kind: 'function', target: { region: 'eu-west-1', profile: 'dev' }, functionName: 'orders-service' },
    ]);
  });

  test("an ARN keeps its form, and its region is the target's when the file names none", () => {
    assert.deepEqual(accountFactsNeeded(analyze(call({ functionName: `${arnOf('orders-service')}:prod` })).doc), [
      { kind: 'functions', target: { region: REGION } },
      { kind: 'function', target: { region: REGION }, functionName: arnOf('orders-service') },
    ]);
  });

  test('each distinct fact once, however many invocations read it', () => {
    const text = JSON.stringify([{ functionName: 'billing' }, { functionName: 'billing:1' }, { functionName: 'workflow', qualifier: '2' }, { functionName: 'billing', endpoint: ' ' }]);
    assert.deepEqual(accountFactsNeeded(analyze(text).doc), [
      { kind: 'functions', target: {} },
      { kind: 'function', target: {}, functionName: 'billing' },
      { kind: 'function', target: {}, functionName: 'workflow' },
    ]);
  });

  test('nothing for what cannot be looked up: a bad name, a half-typed region, an endpoint that is no URL, a syntax error', () => {
    for (const text of [
      '{"functionName":"a b"}',
      '{"functionName":"billing","region":"us-we"}',
      '{"functionName":"billing","endpoint":"localhost"}',
      '{"functionName":"billing","region":3}',
      '{"functionName":"billing",}',
      '{"payload":{}}',
    ]) {
      assert.deepEqual(accountFactsNeeded(analyze(text).doc), [], text);
    }
  });

  test("a function's own facts are worth asking for once the catalogue lists it, or cannot tell", () => {
    const fn = (functionName: string) => ({ kind: 'function' as const, target: {}, functionName });
    assert.equal(worthAsking({ kind: 'functions', target: {} }, NOTHING_KNOWN), true);
    assert.equal(worthAsking(fn('billing'), NOTHING_KNOWN), false, 'the catalogue first');
    assert.equal(worthAsking(fn('billing'), lookupOf()), true);
    assert.equal(worthAsking(fn('billin'), lookupOf()), false, 'a name being typed that the catalogue lacks');
    assert.equal(worthAsking(fn('billin'), lookupOf({ truncated: true })), true);
  });
});

test('every account code is produced by some document and account, and each only by the account checks', () => {
  const samples: Record<string, string> = {
    'function-not-found': '{"functionName":"orders-servce"}',
    'qualifier-not-found': '{"functionName":"orders-service","qualifier":"prd"}',
    'tenant-id-required': '{"functionName":"tenant-api"}',
    'tenant-id-not-accepted': '{"functionName":"billing","tenantId":"acme"}',
    'durable-requires-qualifier': '{"functionName":"workflow"}',
    'function-not-active': '{"functionName":"broken"}',
  };
  assert.deepEqual(Object.keys(samples).sort(), RULES.filter((rule) => rule.check.account).map((rule) => rule.code).sort());
  for (const [code, text] of Object.entries(samples)) {
    assert.deepEqual(accountCodes(text), [code], code);
    assert.deepEqual(codes(text), [], `${code} is not reported as the user types`);
  }
});
