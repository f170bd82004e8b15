/**
 * The invocations the editor has in flight, without vscode so it can be unit-tested. When the
 * window closes (the extension deactivates), every one is aborted: its request and socket are
 * torn down and its promise settles, instead of being left to a process that is going away.
 * Closing the document an invocation came from does not abort it: the user asked for the call,
 * and its result still goes to the output.
 */
export class InFlightCalls {
  private readonly controllers = new Set<AbortController>();
  private closedWith: string | undefined;

  /** How many calls are in flight. */
  get size(): number {
    return this.controllers.size;
  }

  /** True once abortAll ran: the extension is going away, and nothing new should start. */
  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  /**
   * Runs `call` with a signal that aborts when the caller's `cancel` signal does, or when
   * abortAll runs; the call stops being tracked when it settles, however it settles.
   */
  async track<T>(call: (signal: AbortSignal) => Promise<T>, cancel?: AbortSignal): Promise<T> {
    const controller = new AbortController();
    if (this.closedWith !== undefined) controller.abort(new Error(this.closedWith));
    const onCancel = () => controller.abort(cancel?.reason);
    if (cancel?.aborted) onCancel();
    cancel?.addEventListener('abort', onCancel, { once: true });
    this.controllers.add(controller);
    try {
      return await call(controller.signal);
    } finally {
      this.controllers.delete(controller);
      cancel?.removeEventListener('abort', onCancel);
    }
  }

  /** Aborts every call in flight (and any started later); returns how many were aborted. */
  abortAll(reason: string): number {
    this.closedWith ??= reason;
    const aborted = this.controllers.size;
    for (const controller of this.controllers) controller.abort(new Error(reason));
    return aborted;
  }
}
