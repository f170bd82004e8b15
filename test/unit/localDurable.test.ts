/**
 * Durable executions at the local endpoint, through @aws-sdk/client-lambda only: invoking a
 * durable function answers with X-Amz-Durable-Execution-Arn, and GetDurableExecution and
 * GetDurableExecutionHistory describe that execution — status, timestamps, input, result or
 * error, the history events in order, paging — as the SDK's model reads them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { GetDurableExecutionCommand, GetDurableExecutionHistoryCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { LocalEndpoint } from '../../src/local/index';
import { startLoggedEndpoint, type LoggedEndpoint } from './localEndpointLog';

const REGION = 'eu-west-1';
const CREDENTIALS = { accessKeyId: 'AKIDLOCALDURABLE0001', secretAccessKey: 'local/durable/secret/for/tests/0000000' };
const FUNCTION_ARN = `arn:aws:lambda:${REGION}:000000000000:function:workflow`;
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const HANDLER = `const fs = require('node:fs');
exports.handler = async (event) => {
  if (event.fail) throw new Error('order ' + event.orderId + ' rejected');
  if (event.hang) return new Promise(() => undefined);
  // Holds the execution open until the test creates the file: the test waits on the endpoint, not on a clock.
  if (event.waitFor) await new Promise((resolve) => { const poll = () => (fs.existsSync(event.waitFor) ? resolve() : setTimeout(poll, 5)); poll(); });
  return { orderId: event.orderId, status: 'done' };
};`;

const CONFIG = {
  functions: {
    workflow: { handler: 'functions/workflow.handler', timeout: 1, durable: { executionTimeout: 600, retentionPeriodInDays: 3 }, versions: { '1': {} }, aliases: { prod: '1' } },
  },
};

let local: LoggedEndpoint;
let endpoint: LocalEndpoint;

before(async () => {
  local = await startLoggedEndpoint({ 'functions/workflow.js': HANDLER }, CONFIG, CREDENTIALS);
  endpoint = local.endpoint;
});

after(() => local?.close());

const client = (): LambdaClient => new LambdaClient({ endpoint: endpoint.url.href, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });

async function start(payload: object, options: { name?: string; qualifier?: string; event?: boolean } = {}) {
  const output = await client().send(
    new InvokeCommand({
      FunctionName: 'workflow',
      Qualifier: options.qualifier ?? 'prod',
      Payload: Buffer.from(JSON.stringify(payload)),
      ...(options.name ? { DurableExecutionName: options.name } : {}),
      ...(options.event ? { InvocationType: 'Event' } : {}),
    }),
  );
  return output;
}

describe('durable executions', () => {
  test('an invocation answers with the execution ARN, named as asked, and GetDurableExecution describes it', async () => {
    const before = Date.now();
    const output = await start({ orderId: 'A-1' }, { name: 'order-A-1' });
    assert.match(output.DurableExecutionArn ?? '', new RegExp(`^${FUNCTION_ARN}:prod/durable-execution/order-A-1/${UUID}$`));
    const execution = await client().send(new GetDurableExecutionCommand({ DurableExecutionArn: output.DurableExecutionArn }));
    assert.equal(execution.DurableExecutionArn, output.DurableExecutionArn);
    assert.equal(execution.DurableExecutionName, 'order-A-1');
    assert.equal(execution.FunctionArn, `${FUNCTION_ARN}:prod`);
    assert.equal(execution.Status, 'SUCCEEDED');
    assert.equal(execution.Version, '1');
    assert.equal(execution.InputPayload, '{"orderId":"A-1"}');
    assert.deepEqual(JSON.parse(execution.Result ?? 'null'), { orderId: 'A-1', status: 'done' });
    assert.ok(execution.StartTimestamp instanceof Date && execution.EndTimestamp instanceof Date);
    assert.ok(execution.StartTimestamp.getTime() >= before - 1000 && execution.EndTimestamp.getTime() >= execution.StartTimestamp.getTime());
    assert.deepEqual(execution.DurableConfig, { ExecutionTimeout: 600, RetentionPeriodInDays: 3 });

    const compact = await client().send(new GetDurableExecutionCommand({ DurableExecutionArn: output.DurableExecutionArn, IncludeExecutionData: false }));
    assert.equal(compact.InputPayload, undefined);
    assert.equal(compact.Result, undefined);
    assert.equal(compact.ExecutionDataIncluded, false);
  });

  test('a name is generated when none is sent, and a name in use is refused', async () => {
    const output = await start({ orderId: 'A-2' }, { qualifier: '$LATEST' });
    assert.match(output.DurableExecutionArn ?? '', new RegExp(`^${FUNCTION_ARN}:\\$LATEST/durable-execution/${UUID}/${UUID}$`));
    await start({ orderId: 'A-3' }, { name: 'twice' });
    await assert.rejects(start({ orderId: 'A-3' }, { name: 'twice' }), (e: Error) => e.name === 'DurableExecutionAlreadyStartedException');
  });

  test('the history: ExecutionStarted, InvocationCompleted, ExecutionSucceeded, with their details; pages and reverse order', async () => {
    const output = await start({ orderId: 'A-4' });
    const arn = output.DurableExecutionArn;
    const { Events, NextMarker } = await client().send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
    assert.equal(NextMarker, undefined);
    assert.deepEqual(
      Events!.map((e) => [e.EventType, e.EventId]),
      [
        ['ExecutionStarted', 1],
        ['InvocationCompleted', 2],
        ['ExecutionSucceeded', 3],
      ],
    );
    const [started, completed, succeeded] = Events!;
    assert.deepEqual(started!.ExecutionStartedDetails, { Input: { Payload: '{"orderId":"A-4"}', Truncated: false }, ExecutionTimeout: 600 });
    assert.equal(completed!.InvocationCompletedDetails?.RequestId, output.$metadata.requestId);
    assert.ok(completed!.InvocationCompletedDetails?.EndTimestamp instanceof Date);
    assert.deepEqual(JSON.parse(succeeded!.ExecutionSucceededDetails?.Result?.Payload ?? 'null'), { orderId: 'A-4', status: 'done' });
    for (const event of Events!) {
      assert.ok(event.EventTimestamp instanceof Date);
      assert.match(event.Id ?? '', new RegExp(`^${UUID}$`));
      assert.ok(event.Name);
    }

    const first = await client().send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 2, ReverseOrder: true }));
    assert.deepEqual(first.Events!.map((e) => e.EventType), ['ExecutionSucceeded', 'InvocationCompleted']);
    const rest = await client().send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn, MaxItems: 2, ReverseOrder: true, Marker: first.NextMarker }));
    assert.deepEqual(rest.Events!.map((e) => e.EventType), ['ExecutionStarted']);
    assert.equal(rest.NextMarker, undefined);
  });

  test('a handler that throws: FAILED, with the error in the execution and in ExecutionFailed', async () => {
    const output = await start({ orderId: 'A-5', fail: true });
    assert.equal(output.FunctionError, 'Unhandled');
    const execution = await client().send(new GetDurableExecutionCommand({ DurableExecutionArn: output.DurableExecutionArn }));
    assert.equal(execution.Status, 'FAILED');
    assert.equal(execution.Error?.ErrorType, 'Error');
    assert.equal(execution.Error?.ErrorMessage, 'order A-5 rejected');
    const { Events } = await client().send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: output.DurableExecutionArn }));
    assert.equal(Events!.at(-1)!.EventType, 'ExecutionFailed');
    assert.equal(Events!.at(-1)!.ExecutionFailedDetails?.Error?.Payload?.ErrorMessage, 'order A-5 rejected');
  });

  test('a worker that times out: TIMED_OUT', async () => {
    const output = await start({ orderId: 'A-6', hang: true });
    const execution = await client().send(new GetDurableExecutionCommand({ DurableExecutionArn: output.DurableExecutionArn }));
    assert.equal(execution.Status, 'TIMED_OUT');
    assert.equal(execution.Error?.ErrorType, 'Sandbox.Timedout');
  });

  test('an Event invocation is RUNNING until its worker finishes, then SUCCEEDED', async () => {
    const flag = path.join(local.dir, 'go-A-7');
    const output = await start({ orderId: 'A-7', waitFor: flag }, { event: true });
    assert.equal(output.StatusCode, 202);
    const arn = output.DurableExecutionArn;
    assert.match(arn ?? '', /\/durable-execution\//);
    const running = await client().send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    assert.equal(running.Status, 'RUNNING');
    assert.equal(running.EndTimestamp, undefined);
    const history = await client().send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn }));
    assert.deepEqual(history.Events!.map((e) => e.EventType), ['ExecutionStarted']);
    await writeFile(flag, '');
    await local.logged((line) => line.startsWith(`REPORT RequestId: ${output.$metadata.requestId!}`));
    const done = await client().send(new GetDurableExecutionCommand({ DurableExecutionArn: arn }));
    assert.equal(done.Status, 'SUCCEEDED');
  });

  test('an unknown ARN: ResourceNotFoundException', async () => {
    const arn = `${FUNCTION_ARN}:prod/durable-execution/nobody/00000000-0000-4000-8000-000000000000`;
    await assert.rejects(client().send(new GetDurableExecutionCommand({ DurableExecutionArn: arn })), (e: Error & { $metadata: { httpStatusCode?: number } }) => {
      assert.equal(e.name, 'ResourceNotFoundException');
      assert.equal(e.$metadata.httpStatusCode, 404);
      assert.match(e.message, /X-Amz-Durable-Execution-Arn/);
      return true;
    });
    await assert.rejects(client().send(new GetDurableExecutionHistoryCommand({ DurableExecutionArn: arn })), { name: 'ResourceNotFoundException' });
  });
});
