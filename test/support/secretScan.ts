/**
 * What the secrets tests share: Lambda's answers that have leaked secrets elsewhere (a signature
 * mismatch whose message quotes the signed request, session token and all), and the check that a
 * text a user is shown holds no secret access key, session token or request signature. Imports
 * only node:assert, so the extension-host suite can bundle it too.
 */
import assert from 'node:assert/strict';

export interface SecretCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** An answer of Lambda (or its front door), as the tests' stand-ins send it. */
export interface LambdaAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/** A scripted answer and what the user's command comes to. */
export interface AnsweredCase {
  name: string;
  answer: LambdaAnswer;
  /** The CLI's exit code for it (src/cli/main.ts ExitCode). */
  exitCode: number;
}

const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';

/** Answers that reach the user as a result or an error, each with the CLI exit code it gives. */
export function lambdaAnswers(credentials: SecretCredentials): AnsweredCase[] {
  return [
    {
      name: 'success',
      answer: { status: 200, headers: { 'x-amz-log-result': Buffer.from('START\nEND\n').toString('base64') }, body: '{"ok":true}' },
      exitCode: 0,
    },
    {
      name: 'function error',
      answer: { status: 200, headers: { 'x-amz-function-error': 'Unhandled' }, body: '{"errorType":"Error","errorMessage":"boom","trace":[]}' },
      exitCode: 1,
    },
    {
      name: 'bad signature (403 InvalidSignatureException)',
      answer: { status: 403, headers: { 'x-amzn-errortype': 'InvalidSignatureException' }, body: JSON.stringify({ message: SIGNATURE_MISMATCH }) },
      exitCode: 2,
    },
    {
      // What the service really does for some mismatches: the message quotes the canonical request.
      name: 'bad signature quoting the signed headers, session token included (403)',
      answer: {
        status: 403,
        headers: { 'x-amzn-errortype': 'InvalidSignatureException' },
        body: JSON.stringify({
          message:
            `${SIGNATURE_MISMATCH} The Canonical String for this request should have been\n'POST\n/2015-03-31/functions/hello/invocations\n\n` +
            `host:127.0.0.1\nx-amz-security-token:${credentials.sessionToken ?? ''}\n'`,
        }),
      },
      exitCode: 2,
    },
    {
      name: 'validation error (400 ValidationException)',
      answer: { status: 400, headers: { 'x-amzn-errortype': 'ValidationException' }, body: '{"message":"1 validation error detected: Value at \'functionName\' failed to satisfy constraint"}' },
      exitCode: 2,
    },
  ];
}

/** The SigV4 signature of each Authorization header given. */
export function signaturesIn(authorizations: readonly (string | string[] | undefined)[]): string[] {
  return authorizations.map((a) => /Signature=([0-9a-f]+)/.exec(String(a ?? ''))?.[1] ?? '').filter((s) => s !== '');
}

/** Fails, naming what leaked, when `text` holds a secret key, a session token or a signature. */
export function assertNoSecret(text: string, what: string, credentials: readonly SecretCredentials[], signatures: readonly string[]): void {
  const secrets: [string, string][] = [
    ...credentials.map((c): [string, string] => ['a secret access key', c.secretAccessKey]),
    ...credentials.flatMap((c): [string, string][] => (c.sessionToken ? [['a session token', c.sessionToken]] : [])),
    ...signatures.map((s): [string, string] => ['a request signature', s]),
  ];
  for (const [name, value] of secrets) assert.ok(!text.includes(value), `${what} contains ${name}:\n${text}`);
  assert.doesNotMatch(text, /Signature=/, `${what} contains a Signature= value`);
}
