/**
 * Closing the window during a call leaves nothing dangling: the editor's in-flight calls (src/client/invoke/inFlight.ts)
 * through the real engine against a loopback server that holds its answer, watching the server's side of each
 * connection. Waits are for server events, never a clock.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InFlightCalls } from '../../src/client/invoke/inFlight';
import { invoke } from '../../src/engine/invoke';
import { closeConnections } from '../../src/engine/transport';
import { invocationRequest, invokeFailure, testTarget } from './engineFixtures';
import { answerAsLambda, holdingServers } from './holdingServer';

const servers = holdingServers();
after(() => servers.closeAll());

const WINDOW_CLOSED = 'The window closed during the call.';

describe('closing the window during a call', () => {
  test('aborts the call in flight: the server sees its connection close and the call settles as cancelled', async () => {
    const server = await servers.start();
    const calls = new InFlightCalls();
    const pending = invokeFailure(calls.track((signal) => invoke(invocationRequest(), testTarget(server.url), { signal })));
    await server.nextRequest();
    assert.equal(calls.size, 1, 'one call in flight');
    assert.equal(server.openConnections, 1, 'its connection is open');

    assert.equal(calls.abortAll(WINDOW_CLOSED), 1, 'abortAll reports the one call it aborted');
    const error = await pending;
    assert.equal(error.kind, 'cancelled');
    assert.match(error.message, /the function may still be running/);
    await server.allClosed();
    assert.equal(server.openConnections, 0, 'no connection is left open');
    assert.equal(calls.size, 0, 'nothing is tracked after it settled');
    assert.equal(server.requests, 1, 'the request was not repeated');
  });

  test('a call started after the window closed is not sent', async () => {
    const server = await servers.start();
    const calls = new InFlightCalls();
    calls.abortAll(WINDOW_CLOSED);
    assert.ok(calls.closed);
    const error = await invokeFailure(calls.track((signal) => invoke(invocationRequest(), testTarget(server.url), { signal })));
    assert.equal(error.kind, 'cancelled');
    assert.match(error.message, /Cancelled before the request was sent: the function did not run/);
    assert.equal(server.requests, 0);
    assert.equal(calls.size, 0);
  });

  test('the keep-alive connection a finished call leaves open is closed by closeConnections', async () => {
    const server = await servers.start();
    const calls = new InFlightCalls();
    const pending = calls.track((signal) => invoke(invocationRequest(), testTarget(server.url), { signal }));
    answerAsLambda(await server.nextRequest(), 'done');
    const result = await pending;
    assert.equal(result.statusCode, 200);
    assert.equal(calls.size, 0);
    assert.equal(server.openConnections, 1, 'keep-alive: the connection stays open for the next invocation');

    closeConnections();
    await server.allClosed();
    assert.equal(server.openConnections, 0);

    // The engine still works afterwards, on a new connection.
    const again = invoke(invocationRequest(), testTarget(server.url));
    answerAsLambda(await server.nextRequest(), 'again');
    assert.equal((await again).statusCode, 200);
  });
});

describe('cancelling one call from its progress notification', () => {
  test('aborts that call only; the other completes', { timeout: 30_000 }, async () => {
    const server = await servers.start();
    const calls = new InFlightCalls();
    const cancel = new AbortController();
    const first = invokeFailure(calls.track((signal) => invoke(invocationRequest({ functionName: 'first' }), testTarget(server.url), { signal }), cancel.signal));
    const firstResponse = await server.nextRequest();
    const second = calls.track((signal) => invoke(invocationRequest({ functionName: 'second' }), testTarget(server.url), { signal }));
    const secondResponse = await server.nextRequest();
    assert.equal(calls.size, 2);

    cancel.abort();
    assert.equal((await first).kind, 'cancelled');
    assert.equal(calls.size, 1, 'the other call is still in flight');
    // The cancelled call's connection is torn down (a hang here fails the test by its timeout).
    const socket = firstResponse.socket;
    if (socket !== null && !socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));

    answerAsLambda(secondResponse, 'second done');
    const result = await second;
    assert.equal(result.statusCode, 200);
    assert.equal(calls.size, 0);
    assert.equal(calls.closed, false, 'cancelling a call does not close the others');
  });

  test('a call that fails stops being tracked', async () => {
    const calls = new InFlightCalls();
    await assert.rejects(calls.track(() => Promise.reject(new Error('broken'))), /broken/);
    assert.equal(calls.size, 0);
  });
});
