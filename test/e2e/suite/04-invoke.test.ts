/**
 * The Invoke command against the local endpoint the launcher started for this workspace (its
 * .vscode/settings.json points lambdaInvoke.endpoint there): what the output channel shows and
 * what the last result is, read through the extension's API. Then an invocation edited into an
 * oversized Event payload: the diagnostic appears and Invoke refuses to send it.
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { suite, suiteSetup, suiteTeardown, test } from 'mocha';
import * as vscode from 'vscode';
import { api, assertIncludes, codeOf, invokeFromLens, openDocument, rangeOf, waitForCodes, writeAndOpen, closeServer, listenOnLoopback } from './helpers';

suite('Invoke', () => {
  suiteSetup(async () => {
    await api();
  });

  test('hello.invoke.json: 200 OK, the payload and the log tail in the output', async () => {
    const document = await openDocument('hello.invoke.json');
    await vscode.window.showTextDocument(document);
    const { output, result } = await invokeFromLens(document);
    assert.equal(result?.error, undefined, `no error; the output:\n${output}`);
    assert.equal(result?.outcome?.result.statusCode, 200);
    assertIncludes(output, 'Say hello to Ada', 'the invocation’s name');
    assertIncludes(output, '200 OK', 'the status');
    assertIncludes(output, 'Hello, Ada!', 'the payload');
    assertIncludes(output, /START RequestId: \S+ Version: \$LATEST/, 'the log tail’s START line');
    assertIncludes(output, 'Saying hello to Ada from version $LATEST', 'the function’s own log line');
    assertIncludes(output, /REPORT RequestId: .*Duration/, 'the log tail’s REPORT line');
  });

  test('function-error.invoke.json: a function error with its type, message and log', async () => {
    const document = await openDocument('function-error.invoke.json');
    const { output, result } = await invokeFromLens(document);
    assert.equal(result?.outcome?.result.statusCode, 200, `Lambda answers 200 for a function error; the output:\n${output}`);
    assert.equal(result?.outcome?.result.functionError, 'Unhandled');
    assertIncludes(output, 'FAILED', 'the failure');
    assertIncludes(output, 'OrderRejected', 'the error type');
    assertIncludes(output, 'Order A-1002 has no items', 'the error message');
    assertIncludes(output, 'Checking order A-1002', 'the function’s log line');
  });

  test('dry-run.invoke.json: 204, the function does not run', async () => {
    const document = await openDocument('dry-run.invoke.json');
    const { output, result } = await invokeFromLens(document);
    assert.equal(result?.outcome?.result.statusCode, 204, `the output:\n${output}`);
    assertIncludes(output, '204 No Content', 'the status');
    assert.ok(!output.includes('START RequestId'), `no log: the function did not run:\n${output}`);
  });

  test('the Dry Run lens on hello.invoke.json: 204 as well', async () => {
    const document = await openDocument('hello.invoke.json');
    const { output, result } = await invokeFromLens(document, 0, 'lambdaInvoke.dryRun');
    assert.equal(result?.outcome?.result.statusCode, 204, `the output:\n${output}`);
    assertIncludes(output, '204 No Content', 'the status');
  });

  test('event.invoke.json: 202 Accepted, no payload, no log', async () => {
    const document = await openDocument('event.invoke.json');
    const { output, result } = await invokeFromLens(document);
    assert.equal(result?.outcome?.result.statusCode, 202, `the output:\n${output}`);
    assertIncludes(output, '202 Accepted', 'the status');
    assert.ok(!output.includes('START RequestId'), `no log tail for an Event call:\n${output}`);
  });

  suite('an oversized Event payload', () => {
    /** Requests that reached this recorder, which stands in for Lambda. */
    const received: string[] = [];
    let recorder: http.Server;
    let endpoint: string;

    suiteSetup(async () => {
      recorder = http.createServer((request, response) => {
        let bytes = 0;
        request.on('data', (chunk: Buffer) => (bytes += chunk.length));
        request.on('end', () => {
          // The editor's account lookups (reads) are refused, as for a role that may only invoke: this suite counts invocations.
          if (request.method !== 'POST') {
            const denied = JSON.stringify({ Type: 'User', message: 'not authorized to perform: lambda:ListFunctions' });
            response.writeHead(403, { 'x-amzn-RequestId': 'denied', 'x-amzn-ErrorType': 'AccessDeniedException', 'content-type': 'application/json', 'content-length': String(denied.length) });
            response.end(denied);
            return;
          }
          received.push(`${request.method} ${request.url} ${bytes} B`);
          response.writeHead(202, { 'x-amzn-RequestId': `recorded-${received.length}`, 'content-length': '0' });
          response.end();
        });
      });
      endpoint = await listenOnLoopback(recorder);
    });

    suiteTeardown(async () => {
      await closeServer(recorder);
    });

    test('editing in a payload over 1 MB raises payload-too-large, and Invoke sends nothing', async () => {
      const text = JSON.stringify({ name: 'Oversized', functionName: 'hello', invocationType: 'Event', endpoint, payload: { name: 'Ada' } }, null, 2) + '\n';
      const document = await writeAndOpen(text, 'scratch-oversized.invoke.json');
      await waitForCodes(document, []);

      // The control: while small, the same invocation does reach the endpoint.
      const small = await invokeFromLens(document);
      assert.equal(small.result?.outcome?.result.statusCode, 202, `the small payload is sent; the output:\n${small.output}`);
      assert.equal(received.length, 1, `one request reached the recorder: ${JSON.stringify(received)}`);

      // Edit the payload into 1.1 MB of JSON: over the 1,048,576-byte limit of an Event call.
      const big = JSON.stringify({ name: 'Ada', items: 'x'.repeat(1_150_000) });
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, rangeOf(document, '{\n    "name": "Ada"\n  }'), big);
      assert.ok(await vscode.workspace.applyEdit(edit), 'the edit applies');
      const diagnostics = await waitForCodes(document, ['payload-too-large']);
      assert.equal(document.getText(diagnostics[0]!.range), '"payload"', 'the diagnostic is on the payload key');
      assert.equal(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Error);
      assert.match(diagnostics[0]!.message, /1,048,576/, `the message names the limit: ${diagnostics[0]!.message}`);

      const refused = await invokeFromLens(document);
      assert.equal(refused.result?.outcome, undefined, `nothing was sent, so there is no outcome; the output:\n${refused.output}`);
      assert.equal(refused.result?.error?.kind, 'validation', `Invoke refuses with a validation error; the output:\n${refused.output}`);
      assertIncludes(refused.output, 'payload-too-large', 'the output lists the problem');
      assert.equal(received.length, 1, `no further request reached the endpoint: ${JSON.stringify(received)}`);
      assert.equal(codeOf(diagnostics[0]!), 'payload-too-large');

      // Back to a small payload, saved: nothing dirty is left behind.
      const undo = new vscode.WorkspaceEdit();
      undo.replace(document.uri, rangeOf(document, big), '{ "name": "Ada" }');
      assert.ok(await vscode.workspace.applyEdit(undo));
      await waitForCodes(document, []);
      assert.ok(await document.save());
    });
  });
});
