/**
 * The account features over LSP, through the server built in this process and a fake editor that
 * answers lambdaInvoke/accountFacts from the fake account of test/unit/accountFixtures.ts: the
 * account warnings arrive in a publication after the answer, with the other diagnostics; a
 * keystroke asks nothing again; accountFactsChanged and changed settings ask again; completion
 * waits for the catalogue and lists it; an unavailable account says nothing and is not asked per
 * keystroke; and an editor that did not offer the request gets no request and no account feature.
 * The server's memory of answers (AccountFactsCache) is tested on its own with a fake clock.
 * Nothing sleeps: each wait is for a message from the server or for a promise of the code's.
 */
import assert from 'node:assert/strict';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import {
  type CancellationToken,
  CodeActionRequest,
  CodeLensRefreshRequest,
  CompletionRequest,
  type Diagnostic,
  DidChangeConfigurationNotification,
  HoverRequest,
} from 'vscode-languageserver-protocol/node';
import { AccountFactsChangedNotification, type AccountFactsParams, type AccountFactsResult, AccountFactsRequest } from '../../src/protocol/accountFacts';
import { AccountFactsCache } from '../../src/server/accountFactsCache';
import { type InProcessServer, buildServer } from '../support/inProcessServer';
import { type LspClient, OpenDocument, completionItems, markdownOf, messageOf, serverTest as lspTest } from '../support/lspClient';
import { CATALOGUE, type FakeAccount, answer } from '../unit/accountFixtures';

const METHOD = AccountFactsRequest.method;
const TEST_TIMEOUT_MS = 60_000;

/** The profile the fake editor has no credentials for. */
const NO_CREDENTIALS = 'no-credentials';

/** Where the fake account's catalogue is: files that name no target, and those that name the profile "fresh". */
const ACCOUNTS: readonly FakeAccount[] = [{}, { target: { profile: 'fresh' } }, { target: { profile: 'hover-first' } }];

/** The fake editor: answers from the fake account, or holds each answer while `holding` is on. */
class FakeEditor {
  holding = false;
  private readonly held: (() => void)[] = [];

  answer(params: AccountFactsParams): AccountFactsResult | Promise<AccountFactsResult> {
    const result: AccountFactsResult =
      params.target.profile === NO_CREDENTIALS
        ? { kind: 'unavailable', reason: 'credentials', message: 'The SSO session has expired: run aws sso login.' }
        : (ACCOUNTS.map((account) => answer(account, params)).find((found) => found !== undefined) ?? { kind: 'unavailable', reason: 'unreachable' });
    if (!this.holding) return result;
    return new Promise((resolve) => this.held.push(() => resolve(result)));
  }

  /** Answers what it holds, and every request from now on at once. */
  releaseAll(): number {
    this.holding = false;
    const count = this.held.length;
    this.held.splice(0).forEach((release) => release());
    return count;
  }
}

const ACCOUNT_CODES = new Set(['function-not-found', 'qualifier-not-found', 'tenant-id-required', 'tenant-id-not-accepted', 'durable-requires-qualifier', 'function-not-active']);
const accountCodes = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => ACCOUNT_CODES.has(String(d.code))).map((d) => String(d.code));

let workspace = '';
let server: InProcessServer | undefined;
const editor = new FakeEditor();
/** The documents opened so far, by file name, as the server holds them. */
const opened = new Map<string, OpenDocument>();

function lsp(): InProcessServer {
  assert.ok(server, 'the server was not started');
  return server;
}

/** Opens a document of the workspace and waits for its first publication. */
async function open(name: string, text: string): Promise<{ doc: OpenDocument; diagnostics: Diagnostic[]; version: number }> {
  const doc = new OpenDocument(lsp(), pathToFileURL(path.join(workspace, name)).href, text);
  opened.set(name, doc);
  const published = await doc.openAndWait();
  return { doc, diagnostics: published.diagnostics, version: published.version! };
}

function document(name: string): OpenDocument {
  const doc = opened.get(name);
  assert.ok(doc, `${name} was not opened by an earlier test`);
  return doc;
}

/** Every accountFacts request of the session so far. */
function sent(client: LspClient = lsp()): AccountFactsParams[] {
  return client.requestsOf(METHOD) as AccountFactsParams[];
}

/** The `n`-th (1-based) accountFacts request of the session, sent already or to come. */
function nthRequest(n: number): Promise<AccountFactsParams> {
  if (sent().length >= n) return Promise.resolve(sent()[n - 1]!);
  return lsp().waitFor(`accountFacts request #${n}`, (m) => (m.kind === 'request' && m.method === METHOD && sent().length >= n ? sent()[n - 1] : undefined));
}

/** The next publication for `doc` that `accept` takes. */
function publication(doc: OpenDocument, what: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
  return lsp()
    .diagnostics(doc.uri, what, (p) => accept(p.diagnostics))
    .then((p) => p.diagnostics);
}

async function complete(doc: OpenDocument, needle: string, delta: number): Promise<string[]> {
  const result = await lsp().connection.sendRequest(CompletionRequest.method, { textDocument: { uri: doc.uri }, position: doc.positionIn(needle, delta) });
  return completionItems(result as never).map((item) => item.label);
}

const serverTest = (name: string, body: () => Promise<void>) => lspTest(name, () => server, body, TEST_TIMEOUT_MS);

void describe('account facts over LSP: a fake editor that answers lambdaInvoke/accountFacts', () => {
  before(async () => {
    workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda-invoke-account-')));
    server = await buildServer({
      workspaceFolders: [workspace],
      configuration: {},
      codeLensRefresh: true,
      initializationOptions: { accountFacts: true },
      answers: { [METHOD]: (params) => editor.answer(params as AccountFactsParams) },
      failOnErrorLog: true,
    });
  });

  after(async () => {
    await server?.close();
    if (workspace) await rm(workspace, { recursive: true, force: true });
  });

  serverTest('the account warning comes in a publication after the answer, together with the other diagnostics', async () => {
    editor.holding = true;
    const first = await open('orders.invoke.json', '{\n  "functionName": "orders-servce",\n  "invocationType": "Event",\n  "logType": "Tail"\n}\n');
    const doc = document('orders.invoke.json');
    // Nothing is known yet: the per-keystroke diagnostics, at once and alone.
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['async-ignores-log-tail']);
    assert.deepEqual(await nthRequest(1), { kind: 'functions', target: {}, uri: doc.uri }, 'the catalogue, for the folder of the document');
    const withAccount = publication(doc, 'with the account warning', (d) => accountCodes(d).length > 0);
    assert.equal(editor.releaseAll(), 1);
    const diagnostics = await withAccount;
    // LSP replaces a document's diagnostics per publication: the others come again with it.
    assert.deepEqual(diagnostics.map((d) => d.code), ['async-ignores-log-tail', 'function-not-found']);
    const warning = diagnostics[1]!;
    assert.equal(doc.covered(warning.range), '"orders-servce"');
    assert.match(messageOf(warning), /Did you mean "orders-service"\?/);

    // Its quick fix comes from the rules table, as any other code's.
    const actions = await lsp().connection.sendRequest<{ title: string }[]>(CodeActionRequest.method, {
      textDocument: { uri: doc.uri },
      range: warning.range,
      context: { diagnostics: [warning] },
    });
    assert.ok(actions.some((a) => a.title === 'Change to "orders-service"'), JSON.stringify(actions.map((a) => a.title)));
  });

  serverTest('a keystroke asks nothing again: the known facts come in the same publication as the rest', async () => {
    const doc = document('orders.invoke.json');
    const before = sent().length;
    const published = await doc.changeAndWait([doc.edit('"Event"', '"RequestResponse"')]);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['function-not-found'], 'the log tail is fine now; the account warning stays');
    // A document that needs a fact not known yet: its request shows that the quiet moment after the
    // keystroke has come and gone, and that the keystroke asked for nothing in it.
    const billing = pathToFileURL(path.join(workspace, 'billing.invoke.json')).href;
    const answered = lsp().diagnostics(billing, 'published again once its facts came', () => sent().some((p) => p.kind === 'function'));
    await open('billing.invoke.json', '{"functionName": "billing"}');
    assert.deepEqual(await nthRequest(before + 1), { kind: 'function', target: {}, functionName: 'billing', uri: document('billing.invoke.json').uri });
    assert.equal(sent().length, before + 1, 'the edited document asked nothing');
    assert.equal(sent().filter((p) => p.kind === 'functions').length, 1, 'the catalogue was asked for once in all');
    await answered;
  });

  serverTest('hover shows the function’s configuration once its facts are known, and the lenses are refreshed for them', async () => {
    const doc = document('billing.invoke.json');
    const hover = await lsp().connection.sendRequest(HoverRequest.method, { textDocument: { uri: doc.uri }, position: doc.positionIn('billing', 2) });
    assert.match(markdownOf(hover as never), /\| Runtime \| `python3\.13` \|/);
    assert.ok(lsp().requestsOf(CodeLensRefreshRequest.method).length > 0, 'asked the editor to refresh the lenses as answers came');
  });

  serverTest('a hover on a function whose facts are not known yet asks for them at once and waits for the answer', async () => {
    editor.holding = true;
    const { doc } = await open('hover-first.invoke.json', '{"functionName": "orders-service", "profile": "hover-first"}');
    const before = sent().length;
    const hover = lsp().connection.sendRequest(HoverRequest.method, { textDocument: { uri: doc.uri }, position: doc.positionIn('orders-service', 2) });
    // The catalogue of that profile first, then, once it lists the function, its configuration.
    assert.equal((await nthRequest(before + 1)).kind, 'functions');
    editor.releaseAll();
    const second = await nthRequest(before + 2);
    assert.deepEqual(second, { kind: 'function', target: { profile: 'hover-first' }, functionName: 'orders-service', uri: doc.uri });
    editor.releaseAll();
    assert.match(markdownOf((await hover) as never), /\| Runtime \|/, 'the configuration is in the first hover');
  });

  serverTest('accountFactsChanged asks again for what open documents need, and publishes the new answers', async () => {
    const doc = document('orders.invoke.json');
    const before = sent().length;
    const republished = publication(doc, 'after the facts changed', (d) => accountCodes(d).includes('function-not-found') && sent().length > before);
    await lsp().connection.sendNotification(AccountFactsChangedNotification.method);
    assert.equal((await nthRequest(before + 1)).target.profile, undefined);
    await republished;
    assert.ok(sent().slice(before).some((p) => p.kind === 'functions'), 'the catalogue is asked for again');
  });

  serverTest('changed settings ask again too: they are the target below the file’s own fields', async () => {
    const before = sent().length;
    await lsp().connection.sendNotification(DidChangeConfigurationNotification.method, { settings: {} });
    const again = await nthRequest(before + 1);
    assert.ok([document('orders.invoke.json').uri, document('billing.invoke.json').uri].includes(again.uri!));
  });

  serverTest('completion of functionName asks for the catalogue, waits for the answer, and lists it', async () => {
    editor.holding = true;
    const { doc } = await open('fresh.invoke.json', '{"functionName": "", "profile": "fresh"}');
    const before = sent().length;
    const labels = complete(doc, '""', 1);
    // Asked (by the completion, or by the quiet moment after the open: one request either way), and held.
    const asked = await nthRequest(before + 1);
    assert.deepEqual(asked, { kind: 'functions', target: { profile: 'fresh' }, uri: doc.uri });
    editor.releaseAll();
    assert.deepEqual(await labels, CATALOGUE.map((f) => f.name));
    assert.equal(sent().filter((p) => p.target.profile === 'fresh' && p.kind === 'functions').length, 1);
  });

  serverTest('after "name:", completion waits for that function’s facts and lists its versions and aliases', async () => {
    const { doc } = await open('qualified.invoke.json', '{"functionName": "orders-service:"}');
    assert.deepEqual(await complete(doc, 'service:', 8), ['$LATEST', '4', '3', '2', '1', 'prod', 'staging'].map((q) => `orders-service:${q}`));
  });

  serverTest('an unavailable account: no warning, and keystrokes do not ask again', async () => {
    const name = 'nocreds.invoke.json';
    const uri = pathToFileURL(path.join(workspace, name)).href;
    const republished = lsp().diagnostics(uri, 'published again after the unavailable answer', () => sent().some((p) => p.target.profile === NO_CREDENTIALS));
    const { doc, diagnostics } = await open(name, `{"functionName": "orders-servce", "profile": "${NO_CREDENTIALS}", "payload": {"n": 1}}`);
    assert.deepEqual(diagnostics, []);
    assert.deepEqual((await republished).diagnostics, [], 'an unavailable account says nothing');
    for (const [from, to] of [['1', '12'], ['12', '123']] as const) {
      const published = await doc.changeAndWait([doc.edit(`"n": ${from}`, `"n": ${to}`)]);
      assert.deepEqual(published.diagnostics, []);
    }
    // A document with a fact to ask for: its request comes after the keystrokes' quiet moment.
    const before = sent().length;
    await open('probe.invoke.json', '{"functionName": "workflow"}');
    assert.equal((await nthRequest(before + 1)).kind, 'function');
    assert.deepEqual(
      sent().filter((p) => p.target.profile === NO_CREDENTIALS).map((p) => p.kind),
      ['functions'],
      'one request in all, however many keystrokes',
    );
  });
});

void describe('account facts over LSP: an editor that does not answer lambdaInvoke/accountFacts', () => {
  let folder = '';
  let plain: InProcessServer | undefined;

  before(async () => {
    folder = await realpath(await mkdtemp(path.join(os.tmpdir(), 'lambda-invoke-plain-')));
    // It could answer, but it does not say so in initializationOptions.
    plain = await buildServer({ workspaceFolders: [folder], answers: { [METHOD]: (params) => editor.answer(params as AccountFactsParams) }, failOnErrorLog: true });
  });

  after(async () => {
    await plain?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  lspTest(
    'gets every other feature, no account feature, and no request',
    () => plain,
    async () => {
      const client = plain!;
      const doc = new OpenDocument(client, pathToFileURL(path.join(folder, 'orders.invoke.json')).href, '{"functionName": "orders-servce", "invocationType": "Event", "logType": "Tail"}');
      const published = await doc.openAndWait();
      assert.deepEqual(published.diagnostics.map((d) => d.code), ['async-ignores-log-tail']);
      const completion = await client.connection.sendRequest(CompletionRequest.method, { textDocument: { uri: doc.uri }, position: doc.positionIn('"orders-servce"', 1) });
      assert.deepEqual(completionItems(completion as never), []);
      await client.connection.sendNotification(AccountFactsChangedNotification.method);
      const hover = await client.connection.sendRequest(HoverRequest.method, { textDocument: { uri: doc.uri }, position: doc.positionIn('orders', 1) });
      assert.doesNotMatch(markdownOf(hover as never), /Setting/);
      // The shutdown answer comes after everything before it was handled: nothing was asked of the editor.
      await client.shutdown();
      assert.deepEqual(sent(client), []);
    },
    TEST_TIMEOUT_MS,
  );
});

void describe("the server's memory of answers (AccountFactsCache), with a fake clock", () => {
  const catalogue: AccountFactsResult = { kind: 'functions', functions: [{ name: 'billing', arn: 'arn:aws:lambda:us-west-2:123456789012:function:billing' }] };
  const functions: AccountFactsParams = { kind: 'functions', target: { region: 'us-west-2' } };

  /** A cache whose editor answers with `reply` (a function of the call's number), on a clock the test moves. */
  function cacheWith(reply: (call: number) => unknown, answerWithinMs = 15_000) {
    const clock = { now: 0 };
    const asked: AccountFactsParams[] = [];
    const answeredKeys: string[] = [];
    const cache = new AccountFactsCache(
      (params: AccountFactsParams, _token: CancellationToken) => {
        asked.push(params);
        return Promise.resolve(reply(asked.length));
      },
      (key) => answeredKeys.push(key),
      { answerWithinMs, unavailableForMs: 30_000, knownForMs: 300_000 },
      () => clock.now,
    );
    return { cache, clock, asked, answeredKeys };
  }

  test('one request per fact while it is in flight, however many ask; the answer is then what the lookup gives', async () => {
    const { cache, asked, answeredKeys } = cacheWith(() => catalogue);
    const first = cache.ask('/ws', 'file:///ws/a.invoke.json', [functions]);
    const second = cache.ask('/ws', 'file:///ws/b.invoke.json', [functions, functions]);
    await Promise.all([first, second]);
    assert.deepEqual(asked, [{ ...functions, uri: 'file:///ws/a.invoke.json' }]);
    assert.equal(answeredKeys.length, 1);
    assert.deepEqual(cache.lookup('/ws').functions({ region: 'us-west-2' }), catalogue);
    assert.equal(cache.lookup('/other').functions({ region: 'us-west-2' }), undefined, 'answers are per folder');
    await cache.ask('/ws', 'file:///ws/a.invoke.json', [functions]);
    assert.equal(asked.length, 1, 'a known fact is not asked again');
  });

  test('a known answer stands 5 minutes, and is shown while it is asked again', async () => {
    const { cache, clock, asked } = cacheWith(() => catalogue);
    await cache.ask('/ws', 'u', [functions]);
    clock.now = 299_999;
    await cache.ask('/ws', 'u', [functions]);
    assert.equal(asked.length, 1);
    clock.now = 300_000;
    const again = cache.ask('/ws', 'u', [functions]);
    assert.deepEqual(cache.lookup('/ws').functions({ region: 'us-west-2' }), catalogue);
    await again;
    assert.equal(asked.length, 2);
  });

  test('an unavailable answer stands 30 s: asked again only after that', async () => {
    const { cache, clock, asked } = cacheWith(() => ({ kind: 'unavailable', reason: 'credentials' }));
    await cache.ask('/ws', 'u', [functions]);
    clock.now = 29_999;
    await cache.ask('/ws', 'u', [functions]);
    assert.equal(asked.length, 1);
    clock.now = 30_000;
    await cache.ask('/ws', 'u', [functions]);
    assert.equal(asked.length, 2);
  });

  test('a malformed answer, a failed request or no answer in time counts as unavailable', async () => {
    for (const reply of [null, { kind: 'functions' }, { kind: 'function', facts: {} }, { kind: 'surprise' }]) {
      const { cache } = cacheWith(() => reply);
      await cache.ask('/ws', 'u', [functions]);
      assert.equal(cache.lookup('/ws').functions({ region: 'us-west-2' })?.kind, 'unavailable', JSON.stringify(reply));
    }
    const failing = cacheWith(() => Promise.reject(new Error('connection closed')));
    await failing.cache.ask('/ws', 'u', [functions]);
    assert.deepEqual(failing.cache.lookup('/ws').functions({ region: 'us-west-2' }), { kind: 'unavailable', reason: 'unreachable', message: 'connection closed' });
    const silent = cacheWith(() => new Promise(() => undefined), 5);
    await silent.cache.ask('/ws', 'u', [functions]);
    assert.match(JSON.stringify(silent.cache.lookup('/ws').functions({ region: 'us-west-2' })), /did not answer within 0\.005 s/);
  });

  test('forget: what was known is still shown until the new answer comes, and each fact is asked again', async () => {
    const { cache, asked } = cacheWith((call) => (call === 1 ? catalogue : { kind: 'functions', functions: [] }));
    await cache.ask('/ws', 'u', [functions]);
    cache.forget();
    assert.deepEqual(cache.lookup('/ws').functions({ region: 'us-west-2' }), catalogue, 'no flicker while asking again');
    await cache.ask('/ws', 'u', [functions]);
    assert.equal(asked.length, 2);
    assert.deepEqual(cache.lookup('/ws').functions({ region: 'us-west-2' }), { kind: 'functions', functions: [] });
  });

  test('an answer to a request made before forget is dropped', async () => {
    let answerFirst: (value: unknown) => void = () => undefined;
    const { cache } = cacheWith((call) => (call === 1 ? new Promise((resolve) => (answerFirst = resolve)) : { kind: 'functions', functions: [] }));
    const stale = cache.ask('/ws', 'u', [functions]);
    cache.forget();
    await cache.ask('/ws', 'u', [functions]);
    answerFirst(catalogue);
    await stale;
    assert.deepEqual(cache.lookup('/ws').functions({ region: 'us-west-2' }), { kind: 'functions', functions: [] });
  });
});
