/**
 * The local endpoint's CloudWatch logs read with the AWS CLI v2, isolated from the developer's
 * own AWS configuration: `aws logs filter-log-events` with a request's START pattern (and its
 * request id) and `aws logs get-log-events --start-from-head` give that request's lines and only
 * its own, in Text and JSON format, and the CLI prints CloudWatch's error for an unknown group.
 * The functions are the examples' (examples/lambda-invoke.local.json), invoked with
 * @aws-sdk/client-lambda.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { startLocalEndpoint, type LocalEndpoint } from '../../src/local/index';
import { isolatedAwsEnv } from '../unit/engineFixtures';

const run = promisify(execFile);
const AWS = ['/usr/bin/aws', '/usr/local/bin/aws'].find((p) => fs.existsSync(p));
const CREDENTIALS = { accessKeyId: 'AKIDLOCALLOGSE2E0001', secretAccessKey: 'local/logs/e2e/secret/000000000000000' };
const REGION = 'us-east-1';
const EXAMPLES = path.resolve(__dirname, '../../examples');

interface CliEvent {
  logStreamName?: string;
  timestamp: number;
  message: string;
}

let home: string;
let endpoint: LocalEndpoint;

before(async () => {
  home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-invoke-logs-e2e-')));
  endpoint = await startLocalEndpoint({ dir: EXAMPLES, port: 0, credentials: CREDENTIALS, log: () => undefined });
});

after(async () => {
  await endpoint?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function invoke(functionName: string, payload: object): Promise<string> {
  const client = new LambdaClient({ endpoint: endpoint.url.href, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
  const output = await client.send(new InvokeCommand({ FunctionName: functionName, Payload: Buffer.from(JSON.stringify(payload)) }));
  assert.equal(output.FunctionError, undefined);
  return output.$metadata.requestId!;
}

// CI installs the AWS CLI (.ci/run), so there a missing one fails loudly instead of skipping.
describe('the AWS CLI v2 reads the local endpoint\'s logs', { skip: AWS === undefined && !process.env.CI ? 'AWS CLI v2 not installed: apt-get install awscli' : false }, () => {
  async function aws(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await run(AWS!, ['logs', ...args, '--endpoint-url', endpoint.url.href, '--output', 'json'], {
        env: isolatedAwsEnv(home, CREDENTIALS, REGION),
        cwd: home,
      });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, stdout: err.stdout, stderr: err.stderr };
    }
  }

  async function events(...args: string[]): Promise<CliEvent[]> {
    const r = await aws(...args);
    assert.equal(r.code, 0, r.stderr);
    return (JSON.parse(r.stdout) as { events: CliEvent[] }).events;
  }

  /** The lines of `requestId` in a stream read from its head: from its first line to its report. */
  function requestLines(stream: readonly CliEvent[], isStart: (m: string) => boolean, isReport: (m: string) => boolean): string[] {
    const from = stream.findIndex((e) => isStart(e.message));
    const to = stream.findIndex((e, i) => i > from && isReport(e.message));
    assert.ok(from >= 0 && to > from, JSON.stringify(stream.map((e) => e.message)));
    return stream.slice(from, to + 1).map((e) => e.message);
  }

  test('Text: filter-log-events finds the START line, get-log-events the request\'s lines, and none of the next request\'s', async () => {
    const first = await invoke('hello', { name: 'Ada' });
    const second = await invoke('hello', { name: 'Grace' });
    const [start, ...more] = await events('filter-log-events', '--log-group-name', '/aws/lambda/hello', '--filter-pattern', `"START RequestId: ${first}"`);
    assert.deepEqual(more, []);
    assert.equal(start!.message, `START RequestId: ${first} Version: $LATEST`);
    assert.match(start!.logStreamName!, /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);

    const byId = await events('filter-log-events', '--log-group-name', '/aws/lambda/hello', '--filter-pattern', `"${first}"`);
    assert.equal(byId.length, 4);
    assert.ok(byId.every((e) => !e.message.includes(second)));

    const stream = await events('get-log-events', '--log-group-name', '/aws/lambda/hello', '--log-stream-name', start!.logStreamName!, '--start-from-head');
    const lines = requestLines(stream, (m) => m.startsWith(`START RequestId: ${first} `), (m) => m.startsWith(`REPORT RequestId: ${first}\t`));
    assert.deepEqual(lines.slice(0, 3).map((m) => m.replace(/^\S+\t\S+\t/, '')), [`START RequestId: ${first} Version: $LATEST`, 'INFO\tSaying hello to Ada from version $LATEST', `END RequestId: ${first}`]);
    assert.ok(lines.every((m) => !m.includes(second) && !m.includes('Grace')));
    assert.ok(stream.some((m) => m.message.includes('Saying hello to Grace')), 'the second request ran on the same worker, so the same stream');
  });

  test('JSON: a JSON pattern on requestId finds the platform records and console lines of that request only', async () => {
    const first = await invoke('json-logger', { orderId: 'A-1' });
    const second = await invoke('json-logger', { orderId: 'A-2' });
    const found = await events(
      'filter-log-events',
      '--log-group-name',
      '/aws/lambda/json-logger',
      '--filter-pattern',
      `{ $.requestId = "${first}" } || { $.record.requestId = "${first}" }`,
    );
    const records = found.map((e) => JSON.parse(e.message) as { type?: string; level?: string; message?: string; record?: { requestId: string } });
    assert.deepEqual(
      records.map((r) => r.type ?? `${r.level} ${r.message}`),
      ['platform.start', 'INFO Received order A-1', 'WARN Order A-1 has no delivery date yet', 'platform.runtimeDone', 'platform.report'],
    );
    assert.ok(found.every((e) => !e.message.includes(second)));

    const stream = await events('get-log-events', '--log-group-name', '/aws/lambda/json-logger', '--log-stream-name', found[0]!.logStreamName!, '--start-from-head');
    const mine = (m: string, type: string) => m.includes(`"type":"${type}"`) && m.includes(first);
    const lines = requestLines(stream, (m) => mine(m, 'platform.start'), (m) => mine(m, 'platform.report'));
    assert.deepEqual(lines, found.map((e) => e.message));
  });

  test('an unknown log group: the CLI prints CloudWatch\'s ResourceNotFoundException', async () => {
    const r = await aws('filter-log-events', '--log-group-name', '/aws/lambda/nobody');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /An error occurred \(ResourceNotFoundException\) when calling the FilterLogEvents operation: The specified log group does not exist\./);
  });

  test('a filter pattern that is not served: the CLI prints the InvalidParameterException and what is served', async () => {
    await invoke('hello', { name: 'Lin' });
    const r = await aws('filter-log-events', '--log-group-name', '/aws/lambda/hello', '--filter-pattern', '[ip, user]');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /\(InvalidParameterException\) when calling the FilterLogEvents operation: Invalid filter pattern .* This local endpoint serves quoted terms/);
  });
});
