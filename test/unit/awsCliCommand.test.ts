import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { INLINE_PAYLOAD_MAX_BYTES, shellQuote, toAwsCliCommand, usesPayloadFile } from '../../src/engine/awsCliCommand';
import type { InvocationRequest } from '../../src/engine/types';
import { invocationRequest } from './engineFixtures';

const bytes = (text: string) => Buffer.from(text, 'utf8');

const request = (overrides: Partial<InvocationRequest> = {}): InvocationRequest => invocationRequest(overrides, '{"key":"value"}');

const SHELLS = ['/bin/sh', '/bin/bash', '/bin/zsh'].filter((shell) => existsSync(shell));

/**
 * What a shell hands to `aws` when it runs `command`: `aws` is a shell function that prints
 * each argument followed by a NUL. The script goes in on stdin, so even an argument longer
 * than the kernel's per-argument limit reaches the (builtin) function.
 */
function argv(command: string, shell = '/bin/sh'): Buffer[] {
  const script = `aws() { printf '%s\\0' "$@"; }\n${command}\n`;
  const out = execFileSync(shell, ['-s'], { input: script, maxBuffer: 64 * 1024 * 1024 });
  const args: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < out.length; i++) {
    if (out[i] === 0) {
      args.push(out.subarray(start, i));
      start = i + 1;
    }
  }
  assert.equal(start, out.length, 'output ends with a NUL');
  return args;
}

const strings = (args: Buffer[]) => args.map((a) => a.toString('utf8'));

/** The argument after `flag`, as bytes. */
function valueOf(args: Buffer[], flag: string): Buffer | undefined {
  const i = args.findIndex((a) => a.toString('utf8') === flag);
  return i < 0 ? undefined : args[i + 1];
}

const TRICKY_PAYLOADS: Record<string, string> = {
  'single quotes': `{"s":"it's 'quoted' ''"}`,
  'dollar, variables and command substitution': '{"s":"$HOME ${PATH} $(id) $1 $@ $$"}',
  backticks: '{"s":"`id` and `` empty"}',
  'newlines, tabs and carriage returns': '{\n  "s": "line\\none",\n\t"t": 1\r\n}\n',
  backslashes: '{"s":"C:\\\\dir\\\\file \\" \\\\\' end"}',
  'history and globs': '{"s":"!! !$ * ? [a] ~ {a,b} # & ; | < > ( )"}',
  'multi-byte text': '{"s":"ünïcödé 日本語 😀 עברית \u00a0 \u2028"}',
  'a big integer': '{"id":12345678901234567890,"f":1.0e+2}',
  'a byte order mark': '\ufeff{"bom":true}',
  'everything at once': `{"a":"'\\"\`$(x)\n\\\\ 💥 12345678901234567890'"}`,
};

describe('toAwsCliCommand: what the shell delivers', () => {
  for (const [what, payload] of Object.entries(TRICKY_PAYLOADS)) {
    for (const shell of SHELLS) {
      test(`${what} arrive byte for byte (${shell})`, () => {
        const command = toAwsCliCommand(request({ payload: bytes(payload) }), { region: 'us-east-1' });
        const args = argv(command, shell);
        assert.deepEqual(strings(args), [
          'lambda',
          'invoke',
          '--function-name',
          'my-function',
          '--cli-binary-format',
          'raw-in-base64-out',
          '--payload',
          payload,
          '--region',
          'us-east-1',
          'response.json',
        ]);
        assert.ok(valueOf(args, '--payload')?.equals(bytes(payload)), 'exact bytes');
      });
    }
  }

  test('every optional member, in order, each only when set', () => {
    const r = request({
      functionName: 'arn:aws:lambda:us-west-2:123456789012:function:my-function',
      qualifier: '$LATEST',
      invocationType: 'Event',
      logType: 'Tail',
      clientContext: 'eyJjdXN0b20iOnsiYSI6MX19',
      tenantId: 'acme corp/=+@:.',
      durableExecutionName: 'order-42',
    });
    const command = toAwsCliCommand(r, { region: 'us-west-2', profile: 'my profile', endpoint: 'http://localhost:4566' }, { outfile: 'out dir/r.json' });
    assert.ok(command.startsWith('aws lambda invoke --function-name arn:aws:lambda:us-west-2:123456789012:function:my-function '), command);
    assert.ok(!command.includes('\n'), 'one line');
    assert.deepEqual(strings(argv(command)), [
      'lambda', 'invoke',
      '--function-name', 'arn:aws:lambda:us-west-2:123456789012:function:my-function',
      '--qualifier', '$LATEST',
      '--invocation-type', 'Event',
      '--log-type', 'Tail',
      '--client-context', 'eyJjdXN0b20iOnsiYSI6MX19',
      '--tenant-id', 'acme corp/=+@:.',
      '--durable-execution-name', 'order-42',
      '--cli-binary-format', 'raw-in-base64-out',
      '--payload', '{"key":"value"}',
      '--region', 'us-west-2',
      '--profile', 'my profile',
      '--endpoint-url', 'http://localhost:4566',
      'out dir/r.json',
    ]);
  });

  test('the minimal command: defaults and unset members are left out', () => {
    const command = toAwsCliCommand(request({ payloadSource: 'none', payload: new Uint8Array() }), {});
    assert.equal(command, 'aws lambda invoke --function-name my-function response.json');
    for (const flag of ['--qualifier', '--invocation-type', '--log-type', '--client-context', '--tenant-id', '--durable-execution-name', '--region', '--profile', '--endpoint-url', '--payload']) {
      assert.ok(!command.includes(flag), flag);
    }
  });

  test('DryRun is passed on', () => {
    assert.deepEqual(valueOf(argv(toAwsCliCommand(request({ invocationType: 'DryRun' }), {})), '--invocation-type')?.toString(), 'DryRun');
  });

  test('a payload file goes as fileb://, with no --cli-binary-format', () => {
    const r = request({ payloadSource: { file: "/home/me/my project/payloads/it's.json" } });
    const args = strings(argv(toAwsCliCommand(r, { region: 'eu-west-1' })));
    assert.equal(args[args.indexOf('--payload') + 1], "fileb:///home/me/my project/payloads/it's.json");
    assert.ok(!args.includes('--cli-binary-format'));
  });

  test('a value starting with - is attached with =, so the CLI does not take it for an option', () => {
    const args = strings(argv(toAwsCliCommand(request({ payload: bytes('-1') }), {}, { outfile: '-out.json' })));
    assert.ok(args.includes('--payload=-1'), args.join(' '));
    assert.equal(args.at(-1), './-out.json');
  });

  test('a custom outfile', () => {
    assert.equal(strings(argv(toAwsCliCommand(request(), {}, { outfile: '/tmp/$out`.json' }))).at(-1), '/tmp/$out`.json');
  });
});

describe('toAwsCliCommand: long and binary payloads', () => {
  const big = (size: number) => {
    const frame = '{"data":""}';
    return bytes(`{"data":"${'ü'.repeat((size - frame.length) / 2)}"}`);
  };

  test('up to 100 KiB stays inline even when a file is offered', () => {
    const payload = big(INLINE_PAYLOAD_MAX_BYTES - 1);
    assert.equal(payload.length, INLINE_PAYLOAD_MAX_BYTES - 1);
    const r = request({ payload });
    assert.equal(usesPayloadFile(r), false);
    const args = argv(toAwsCliCommand(r, {}, { payloadFileArg: '/tmp/payload.json' }));
    assert.ok(valueOf(args, '--payload')?.equals(payload));
  });

  test('over 100 KiB with a file offered: fileb://<that file>', () => {
    const r = request({ payload: big(INLINE_PAYLOAD_MAX_BYTES + 1) });
    assert.equal(usesPayloadFile(r), true);
    const args = strings(argv(toAwsCliCommand(r, {}, { payloadFileArg: '/tmp/lambda invoke/payload.json' })));
    assert.equal(args[args.indexOf('--payload') + 1], 'fileb:///tmp/lambda invoke/payload.json');
    assert.ok(!args.includes('--cli-binary-format'));
  });

  test('over 100 KiB with no file offered: still inline, and exact', () => {
    const payload = big(300 * 1024);
    const args = argv(toAwsCliCommand(request({ payload }), {}));
    assert.ok(valueOf(args, '--payload')?.equals(payload));
  });

  test('bytes no shell argument can carry go as base64 (or to the offered file)', () => {
    const payload = Buffer.from([0x7b, 0x22, 0xff, 0x00, 0x22, 0x7d]);
    const r = request({ payload });
    assert.equal(usesPayloadFile(r), true);
    const args = strings(argv(toAwsCliCommand(r, {})));
    assert.equal(args[args.indexOf('--cli-binary-format') + 1], 'base64');
    assert.ok(Buffer.from(args[args.indexOf('--payload') + 1] ?? '', 'base64').equals(payload));
    assert.match(toAwsCliCommand(r, {}, { payloadFileArg: 'p.bin' }), / --payload fileb:\/\/p\.bin /);
  });

  test('an empty inline payload sends no --payload', () => {
    assert.ok(!toAwsCliCommand(request({ payload: new Uint8Array() }), {}).includes('--payload'));
  });
});

describe('shellQuote', () => {
  test('safe words stay bare; everything else is single-quoted', () => {
    assert.equal(shellQuote('us-east-1'), 'us-east-1');
    assert.equal(shellQuote('arn:aws:lambda:us-east-1:123456789012:function:f'), 'arn:aws:lambda:us-east-1:123456789012:function:f');
    assert.equal(shellQuote('fileb:///a/b.json'), 'fileb:///a/b.json');
    assert.equal(shellQuote(''), "''");
    assert.equal(shellQuote('$LATEST'), "'$LATEST'");
    assert.equal(shellQuote('~/x'), "'~/x'");
    assert.equal(shellQuote('=x'), "'=x'");
    assert.equal(shellQuote("it's"), "'it'\\''s'");
  });
});
