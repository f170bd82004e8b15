/**
 * `lambda-invoke run FILE --logs`: after the call, the invocation's whole log from the local
 * endpoint's CloudWatch Logs API (the Lambda endpoint is this machine, so its logs come from it):
 * a handler that logs 20 KB shows its first lines, which the 4 KB tail has lost; --json carries
 * the whole log; --save keeps it; a logs endpoint that answers "no log group" says so and keeps
 * the tail.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { ExitCode } from '../../src/cli/main';
import { runCli } from '../support/cliRun';
import { isolatedAwsEnv } from './engineFixtures';
import { type LoggedEndpoint, startLoggedEndpoint } from './localEndpointLog';
import { TEST_CREDENTIALS } from './recordingEndpoint';

const CHATTY = `exports.handler = async () => {
  for (let i = 1; i <= 200; i++) console.log(\`chatty line \${i} of 200 \${'.'.repeat(80)}\`);
  return { lines: 200 };
};
`;

let local: LoggedEndpoint;

before(async () => {
  local = await startLoggedEndpoint({ 'chatty.js': CHATTY }, { functions: { chatty: { handler: 'chatty.handler' } } }, TEST_CREDENTIALS);
  fs.writeFileSync(path.join(local.dir, 'chatty.invoke.json'), JSON.stringify({ functionName: 'chatty', logType: 'Tail', endpoint: local.endpoint.url.href, payload: {} }));
});
after(async () => {
  await local.close();
});

function cli(...args: string[]) {
  return runCli(args, { cwd: local.dir, env: isolatedAwsEnv(local.dir, TEST_CREDENTIALS, 'us-east-1') });
}

describe('lambda-invoke run --logs', () => {
  test('prints the whole log to stderr: the first lines the 4 KB tail lost, from START to REPORT', async () => {
    const tailOnly = await cli('run', 'chatty.invoke.json');
    assert.equal(tailOnly.code, ExitCode.ok, tailOnly.stderr);
    assert.ok(!tailOnly.stderr.includes('chatty line 1 of 200'), 'without --logs only the tail: the first line is gone');

    const run = await cli('run', 'chatty.invoke.json', '--logs');
    assert.equal(run.code, ExitCode.ok, run.stderr);
    assert.equal(run.stdout, '{"lines":200}', 'the payload on stdout');
    assert.ok(run.stderr.includes('chatty line 1 of 200'), `the first line:\n${run.stderr.slice(0, 400)}`);
    assert.ok(run.stderr.includes('chatty line 200 of 200'), 'the last line');
    assert.match(run.stderr, /^START RequestId: \S+ Version: \$LATEST$/m);
    assert.match(run.stderr, /^REPORT RequestId: \S+\tDuration: /m);
    assert.ok(!run.stderr.includes('the whole log:'), `no problem reported:\n${run.stderr.slice(-300)}`);
  });

  test('--json carries the whole log; --save keeps it in log.txt', async () => {
    const run = await cli('run', 'chatty.invoke.json', '--logs', '--json', '--save', 'out');
    assert.equal(run.code, ExitCode.ok, run.stderr);
    const result = JSON.parse(run.stdout) as { requestId: string; log?: { text: string; complete: boolean; logGroup: string }; saved?: string[] };
    assert.equal(result.log?.complete, true);
    assert.equal(result.log?.logGroup, '/aws/lambda/chatty');
    assert.ok(result.log?.text.includes('chatty line 1 of 200'));
    assert.ok(!result.log?.text.includes('START RequestId: ') || result.log.text.includes(`START RequestId: ${result.requestId}`), 'only this request’s lines');
    const saved = fs.readFileSync(path.join(local.dir, 'out', 'log.txt'), 'utf8');
    assert.equal(saved, result.log?.text, 'log.txt holds the whole log');
    const metadata = JSON.parse(fs.readFileSync(path.join(local.dir, 'out', 'metadata.json'), 'utf8')) as { log?: { source: string; complete: boolean }; report?: { billedDurationMs: number } };
    assert.deepEqual({ source: metadata.log?.source, complete: metadata.log?.complete }, { source: 'full', complete: true });
    assert.equal(typeof metadata.report?.billedDurationMs, 'number', 'the REPORT line’s figures are in the metadata');
  });

  test('a logs endpoint without the log group: says so, keeps the tail, and the exit code stays the call’s', async () => {
    const logs = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'logs-1' });
        response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'The specified log group does not exist.' }));
      });
    });
    await new Promise<void>((resolve) => logs.listen(0, '127.0.0.1', () => resolve()));
    try {
      const env = { ...isolatedAwsEnv(local.dir, TEST_CREDENTIALS, 'us-east-1'), AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: `http://127.0.0.1:${(logs.address() as AddressInfo).port}` };
      const run = await runCli(['run', 'chatty.invoke.json', '--logs'], { cwd: local.dir, env });
      assert.equal(run.code, ExitCode.ok, run.stderr);
      assert.ok(run.stderr.includes('chatty line 200 of 200'), 'the tail is shown');
      assert.ok(!run.stderr.includes('chatty line 1 of 200'), 'only the tail');
      assert.match(run.stderr, /the whole log: .*log group \/aws\/lambda\/chatty/i, `the problem, naming the group:\n${run.stderr.slice(-400)}`);
    } finally {
      await new Promise<void>((resolve) => logs.close(() => resolve()));
    }
  });
});
