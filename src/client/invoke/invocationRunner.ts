/**
 * Runs an invocation from the editor: a cancellable progress notification around the engine's
 * runInvocation (cancel aborts the request; retries show in the progress message), one block in
 * the "Lambda Invoke" output channel when it finishes, and a notification for what went wrong.
 * The last outcome is kept for the extension's API.
 */
import * as vscode from 'vscode';
import type { InvokeFailure, RunOutcome } from '../../engine/index';
import type { InvokeError } from '../../engine/types';
import { Config } from '../config';
import { AllowedOrigins, ENDPOINT_CONFIRMATION_DETAIL, type OriginMemento, SEND, SEND_ALWAYS, decideEndpoint, endpointConfirmationMessage } from './endpointTrust';
import type { EngineModule } from '../engineLoader';
import type { InvocationOutput } from '../output/invocationOutput';
import type { LocatedInvocation } from './invocationLocator';
import { showModalWarning, showNotice } from '../output/notifications';
import { type Notice, attemptMessage, errorNotice, resultNotice, stampBlock } from '../output/outcomes';
import { buildOverrides } from '../profileRegion/overrides';
import { InFlightCalls } from './inFlight';
import type { ProfileRegionStore } from '../profileRegion/profileRegionStore';
import type { FinishedCall } from '../results/results';

/** What the last invocation came to: an outcome (Lambda answered 2xx) or an error. */
export interface LastResult {
  outcome?: RunOutcome;
  error?: InvokeError;
}

/** Characters of a payload copied into the output channel; a longer one is only in its result tab (the channel is not an editor). */
const OUTPUT_PAYLOAD_LIMIT = 256 * 1024;

/** Why calls still in flight end when the extension deactivates. */
const WINDOW_CLOSED = 'The window closed during the call.';

export class InvocationRunner {
  private last: LastResult | undefined;
  private readonly allowedOrigins: AllowedOrigins;
  private readonly inFlight = new InFlightCalls();

  /** Called when Lambda answered that the function (or its version or alias) does not exist: cached account facts are stale. */
  onResourceNotFound: (() => void) | undefined;

  /** Called once a call has ended and its block is written: the result tab and the history take it from there. */
  onFinished: ((call: FinishedCall) => Promise<void>) | undefined;

  constructor(
    private readonly output: InvocationOutput,
    private readonly selection: ProfileRegionStore,
    workspaceState: OriginMemento,
  ) {
    this.allowedOrigins = new AllowedOrigins(workspaceState);
  }

  lastResult(): LastResult | undefined {
    return this.last;
  }

  /** How many invocations are in flight. */
  get running(): number {
    return this.inFlight.size;
  }

  /**
   * The window is closing: aborts every call in flight, so no request, socket or timer outlives
   * the extension. Their outcomes are not written: the output channel is going away too.
   */
  dispose(): void {
    this.inFlight.abortAll(WINDOW_CLOSED);
  }

  /** Sends the invocation (or its dry run) and reports the outcome; never throws. */
  async run(engine: EngineModule, located: LocatedInvocation, dryRun: boolean): Promise<void> {
    const { file, index, label, document } = located;
    const overrides = buildOverrides(this.selection.current, new Config(document.uri).target);
    const title = dryRun ? `Dry run of ${label}…` : `Invoking ${label}…`;
    let report: { block: string; notice: Notice };
    let ended: Pick<FinishedCall, 'outcome' | 'failure'>;
    const sentAt = new Date();
    try {
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, cancellable: true, title },
        async (progress, token) => {
          const cancel = new AbortController();
          const cancelled = token.onCancellationRequested(() => cancel.abort());
          try {
            return await this.inFlight.track(
              (signal) =>
                engine.runInvocation(
                  { ...file, index, dryRun, overrides, confirmEndpoint: (endpoint) => this.confirmEndpoint(label, endpoint) },
                  { signal, onAttempt: (attempt) => progress.report({ message: attemptMessage(attempt) }) },
                ),
              cancel.signal,
            );
          } finally {
            cancelled.dispose();
          }
        },
      );
      this.last = { outcome };
      ended = { outcome };
      report = { block: engine.renderResult(outcome.request, outcome.target, outcome.result, { payloadLimit: OUTPUT_PAYLOAD_LIMIT }), notice: resultNotice(label, outcome.result) };
    } catch (thrown) {
      const error = asInvokeError(engine, thrown);
      this.last = { error };
      ended = { failure: error };
      if (error.details.errorType === 'ResourceNotFoundException') this.onResourceNotFound?.();
      report = { block: engine.renderError(error.request, error.target, error), notice: errorNotice(label, error) };
    }
    // Deactivating: the channel and the window are going away; there is no one to tell.
    if (this.inFlight.closed) return;
    this.output.appendBlock(stampBlock(report.block, new Date()));
    this.output.reveal();
    showNotice(report.notice, this.output);
    if (index !== undefined) {
      await this.onFinished?.({ engine, file: file.filePath, uri: document.uri.toString(), index, label, sentAt, ...ended }).catch((error: unknown) => {
        this.output.appendBlock(`The result tab could not be shown: ${error instanceof Error ? error.message : String(error)}`);
      });
    }
  }

  /** Asks (modal) before sending to a remote endpoint the file names, unless allowed before for this workspace. */
  private confirmEndpoint(label: string, endpoint: URL): Promise<boolean> {
    return decideEndpoint(endpoint.origin, this.allowedOrigins, () =>
      showModalWarning(endpointConfirmationMessage(label, endpoint.origin), ENDPOINT_CONFIRMATION_DETAIL, SEND, SEND_ALWAYS),
    );
  }
}

/**
 * runInvocation throws InvokeErrors; anything else escaped it while reading the file (a payload
 * file that vanished between the check and the read, say), before anything was sent.
 */
function asInvokeError(engine: EngineModule, thrown: unknown): InvokeFailure {
  if (thrown instanceof engine.InvokeError) return thrown;
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  return new engine.InvokeError('configuration', `Not sent: the invocation could not be prepared (${reason}).`, {
    hint: 'Check the file and its payload file, then invoke again.',
  });
}
