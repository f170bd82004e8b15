/**
 * The extension host holds the credentials; what it shows must not. Fake keys sit in a profile of
 * a shared credentials file of this suite's own (AWS_SHARED_CREDENTIALS_FILE, set here as a user's
 * shell sets it: the engine runs in this extension host and reads its environment at each invoke),
 * chosen with the lambdaInvoke.profile setting. After an invoke and after failed invokes (a bad
 * signature, one whose message quotes the session token, the service's validation error, a refused
 * connection), neither the "Lambda Invoke" output nor any notification holds the secret access key,
 * the session token or a request signature.
 *
 * Named to run before 05-lifecycle.test.ts, whose last test deactivates the extension.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import type { LambdaInvokeApi } from '../../../src/client/extension';
import { type LambdaAnswer, assertNoSecret, lambdaAnswers, signaturesIn } from '../../support/secretScan';
import { freePort } from '../../unit/holdingServer';
import { RecordingEndpoint, verifySignature } from '../../unit/recordingEndpoint';
import { api, assertIncludes, invokeFromLens, waitForCodes, writeAndOpen } from './helpers';

const PROFILE = 'lambda-invoke-e2e-canary';
const CANARY = {
  accessKeyId: 'AKIDE2ECANARY0000001',
  secretAccessKey: 'e2eSecretCANARY/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjE2ECANARYSESSIONTOKEN//example==',
};
const REGION = 'us-west-2';
/** The environment this suite changes, restored after it. */
const ENV_KEYS = ['AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'] as const;

suite('secrets stay out of what the extension shows', () => {
  const endpoint = new RecordingEndpoint();
  const savedEnv = new Map<string, string | undefined>();
  const scratch: vscode.Uri[] = [];
  let lambdaInvoke: LambdaInvokeApi;
  let url: URL;
  let refused: string;
  let dir: string;

  suiteSetup(async () => {
    lambdaInvoke = await api();
    url = await endpoint.start();
    refused = `http://127.0.0.1:${await freePort()}`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-e2e-secrets-'));
    const credentialsFile = path.join(dir, 'credentials');
    fs.writeFileSync(
      credentialsFile,
      `[${PROFILE}]\naws_access_key_id = ${CANARY.accessKeyId}\naws_secret_access_key = ${CANARY.secretAccessKey}\naws_session_token = ${CANARY.sessionToken}\n`,
    );
    for (const key of ENV_KEYS) savedEnv.set(key, process.env[key]);
    process.env.AWS_SHARED_CREDENTIALS_FILE = credentialsFile;
    // No config file: the profile is the credentials file's alone, whatever the machine has.
    process.env.AWS_CONFIG_FILE = path.join(dir, 'no-config');
    await vscode.workspace.getConfiguration('lambdaInvoke').update('profile', PROFILE, vscode.ConfigurationTarget.Workspace);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('lambdaInvoke').update('profile', undefined, vscode.ConfigurationTarget.Workspace);
    for (const [key, value] of savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    for (const uri of scratch) await vscode.workspace.fs.delete(uri);
    await endpoint.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Invokes a fresh scratch file naming `target` and returns what the user was shown. */
  async function invoke(label: string, target: string): Promise<{ output: string; result: ReturnType<LambdaInvokeApi['lastResult']> }> {
    endpoint.requests.length = 0;
    const name = `scratch-secrets-${scratch.length + 1}.invoke.json`;
    const text = `${JSON.stringify({ name: label, functionName: 'hello', region: REGION, logType: 'Tail', endpoint: target, payload: { name: 'Ada' } }, null, 2)}\n`;
    const document = await writeAndOpen(text, name);
    scratch.push(document.uri);
    await waitForCodes(document, []);
    return invokeFromLens(document);
  }

  /**
   * The Invoke requests the stand-in received. The editor's account lookups (ListFunctions… for
   * the scratch files' endpoint) reach it too, signed with the same profile: they count for the
   * signatures to look for, not as the invocation.
   */
  const invokes = () => endpoint.requests.filter((r) => /\/invocations(?:\?|$)/.test(r.url));

  /** Everything the output channel and the notifications hold: a canary anywhere in them is a leak. */
  function assertNothingShown(what: string): void {
    const signatures = signaturesIn(endpoint.requests.map((r) => r.headers.authorization));
    assertNoSecret(lambdaInvoke.outputText(), `the "Lambda Invoke" output after ${what}`, [CANARY], signatures);
    assertNoSecret(lambdaInvoke.messages().join('\n'), `the notifications after ${what}`, [CANARY], signatures);
  }

  /** The request reached the stand-in signed with the profile's keys, its session token attached. */
  function assertSignedWithProfile(output: string): void {
    const request = invokes()[0];
    assert.ok(request, `the request was sent; the output:\n${output}`);
    assert.equal(request.headers['x-amz-security-token'], CANARY.sessionToken, 'the profile\'s session token was in play');
    assert.ok(verifySignature(request, REGION, CANARY).ok, `signed with the keys of profile ${PROFILE}, not a placeholder`);
  }

  for (const { name, answer } of lambdaAnswers(CANARY)) {
    test(`${name}: signed with the profile, and no secret in the output or the notifications`, async () => {
      endpoint.responder = (): LambdaAnswer => answer;
      const label = `Secret canary: ${name}`;
      const { output, result } = await invoke(label, url.href);
      assertSignedWithProfile(output);
      assertIncludes(output, label, 'the output block of this invocation');
      if (answer.status < 300) {
        assert.equal(result?.outcome?.result.statusCode, answer.status, `the output:\n${output}`);
      } else {
        assert.equal(result?.error?.kind, 'service', `the output:\n${output}`);
        assert.equal(result.error.details.statusCode, answer.status);
        assert.ok(lambdaInvoke.messages().some((text) => text.startsWith(label)), `a notification says the invoke failed: ${JSON.stringify(lambdaInvoke.messages())}`);
      }
      assertNothingShown(name);
    });
  }

  test('a refused connection: no secret in the output or the notifications', async () => {
    const label = 'Secret canary: refused';
    const { output, result } = await invoke(label, refused);
    assert.equal(result?.error?.kind, 'network', `the output:\n${output}`);
    assert.equal(invokes().length, 0, 'nothing reached the recording endpoint: the refused one was the target');
    assertIncludes(output, label, 'the output block of this invocation');
    assert.ok(lambdaInvoke.messages().some((text) => text.startsWith(label)), `a notification says the invoke failed: ${JSON.stringify(lambdaInvoke.messages())}`);
    assertNothingShown('a refused connection');
  });
});
