/**
 * Cancelling an invocation tells the user how far it had got, through the real engine against a
 * loopback server that holds its answer: before the request was sent, nothing was and the
 * function did not run; after, the function may have run and may still be running; while
 * waiting to retry a throttle, nothing more was sent. A cancelled call is never sent again.
 * Every wait is for an event (the server got the request, the engine asked for credentials or
 * reported a retry), never a clock.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AwsCredentialIdentity } from '@smithy/types';
import { invoke } from '../../src/engine/invoke';
import { renderError } from '../../src/engine/render';
import type { Attempt, InvokeOptions, ResolvedTarget } from '../../src/engine/types';
import { invocationRequest, invokeFailure, recordingDelay, testTarget } from './engineFixtures';
import { answerThrottled, holdingServers } from './holdingServer';
import { TEST_CREDENTIALS } from './recordingEndpoint';

const servers = holdingServers();
after(() => servers.closeAll());

/** What the output shows when the function may have run. */
const MAY_HAVE_RUN_WARNING = /⚠ The request was sent, so the function may have run/;

/** Options that record every retry the engine reports and every wait it asks for. */
function recording(signal: AbortSignal): { options: InvokeOptions; retries: Attempt[]; delays: number[] } {
  const retries: Attempt[] = [];
  const { delays, delay } = recordingDelay();
  return { options: { signal, delay, onAttempt: (a) => retries.push({ ...a }) }, retries, delays };
}

describe('cancelling an invocation', () => {
  test('after the request was sent: the function may have run and may still be running; not sent again', async () => {
    const server = await servers.start();
    const controller = new AbortController();
    const { options, retries, delays } = recording(controller.signal);
    const request = invocationRequest();
    const target = testTarget(server.url);
    const pending = invokeFailure(invoke(request, target, options));
    await server.nextRequest();
    controller.abort();

    const error = await pending;
    assert.equal(error.kind, 'cancelled');
    assert.equal(error.message, 'Cancelled after the request was sent: the function may still be running, or may have run already; cancelling stops only the wait for its answer.');
    assert.equal(error.details.mayHaveRun, true);
    assert.match(renderError(request, target, error), MAY_HAVE_RUN_WARNING);
    await server.allClosed();
    assert.equal(server.requests, 1, 'the request was not repeated');
    assert.deepEqual(retries, [], 'no retry was reported');
    assert.deepEqual(delays, []);
  });

  test('before the request was sent (while the credentials were fetched): nothing was sent, the function did not run', async () => {
    const server = await servers.start();
    const controller = new AbortController();
    const { options, retries } = recording(controller.signal);
    let asked!: () => void;
    const credentialsAsked = new Promise<void>((resolve) => (asked = resolve));
    let release!: (credentials: AwsCredentialIdentity) => void;
    const credentials = new Promise<AwsCredentialIdentity>((resolve) => (release = resolve));
    const request = invocationRequest();
    const target: ResolvedTarget = { ...testTarget(server.url), credentials: () => (asked(), credentials) };
    const pending = invokeFailure(invoke(request, target, options));
    await credentialsAsked;
    controller.abort();
    release(TEST_CREDENTIALS);

    const error = await pending;
    assert.equal(error.kind, 'cancelled');
    assert.equal(error.message, 'Cancelled before the request was sent: the function did not run.');
    assert.equal(error.details.mayHaveRun, false);
    assert.doesNotMatch(renderError(request, target, error), MAY_HAVE_RUN_WARNING);
    assert.equal(server.requests, 0, 'nothing reached the server');
    assert.equal(server.openConnections, 0, 'no connection was opened');
    assert.deepEqual(retries, []);
  });

  // The engine's own wait, not a recording one: a cancel must end a 20-second Retry-After at once.
  for (const [when, abort] of [
    ['as the wait starts', (controller: AbortController) => controller.abort()],
    ['during the wait', (controller: AbortController) => queueMicrotask(() => controller.abort())],
  ] as const) {
    test(`while waiting to retry a throttle (${when}): nothing more was sent, the function did not run`, { timeout: 10_000 }, async () => {
      const server = await servers.start();
      const controller = new AbortController();
      const retries: Attempt[] = [];
      const request = invocationRequest();
      const target = testTarget(server.url);
      const pending = invokeFailure(
        invoke(request, target, {
          signal: controller.signal,
          onAttempt: (attempt) => {
            retries.push({ ...attempt });
            abort(controller);
          },
        }),
      );
      answerThrottled(await server.nextRequest(), 20);

      const error = await pending;
      assert.equal(error.kind, 'cancelled');
      assert.equal(error.message, 'Cancelled while waiting to try again: the function did not run, and nothing more was sent.');
      assert.equal(error.details.mayHaveRun, false);
      assert.doesNotMatch(renderError(request, target, error), MAY_HAVE_RUN_WARNING);
      assert.deepEqual(retries, [{ number: 1, retryReason: 'throttled (429 TooManyRequestsException)', delayMs: 20_000 }]);
      assert.equal(server.requests, 1, 'the throttled request was not sent again');
    });
  }
});
