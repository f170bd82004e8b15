/**
 * The catalogue's memory: answers kept by key until their lifetime ends, and one fetch at a time
 * per key however many ask for it while it runs. A caller that cancels stops waiting; the fetch
 * itself is aborted only once nobody waits for it any more. `clear()` forgets everything,
 * including what fetches still under way would store.
 */

interface Entry<T> {
  value: T;
  expiresAt: number;
}

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  /** Callers waiting; at 0 the fetch is aborted. */
  waiting: number;
}

export class ExpiringCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly flights = new Map<string, Flight<T>>();
  private currentGeneration = 0;

  constructor(private readonly now: () => number) {}

  /** Changes at every `clear()`: a fetch stores its answer only for the generation it started in. */
  get generation(): number {
    return this.currentGeneration;
  }

  /** The answer for `key` while its lifetime lasts. */
  fresh(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (this.now() < entry.expiresAt) return entry.value;
    this.entries.delete(key);
    return undefined;
  }

  store(key: string, value: T, lifetimeMs: number, generation: number): void {
    if (generation !== this.currentGeneration || lifetimeMs <= 0) return;
    this.entries.set(key, { value, expiresAt: this.now() + lifetimeMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.currentGeneration++;
    this.entries.clear();
    // Those waiting still get their answers; a caller arriving now starts a fetch of its own.
    this.flights.clear();
  }

  /**
   * The running fetch for `key`, or `start` run as a new one. Rejects with the signal's reason
   * when `signal` aborts first.
   */
  shared(key: string, start: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let flight = this.flights.get(key);
    if (flight === undefined) {
      const controller = new AbortController();
      const started: Flight<T> = { promise: start(controller.signal), controller, waiting: 0 };
      flight = started;
      this.flights.set(key, started);
      const done = () => {
        if (this.flights.get(key) === started) this.flights.delete(key);
      };
      // Handled here so a fetch that every caller left does not reject unobserved.
      started.promise.then(done, done);
    }
    return this.join(key, flight, signal);
  }

  private join(key: string, flight: Flight<T>, signal: AbortSignal | undefined): Promise<T> {
    flight.waiting++;
    if (signal === undefined) return flight.promise;
    if (signal.aborted) {
      this.leave(key, flight);
      return Promise.reject(signal.reason as Error);
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        this.leave(key, flight);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: Error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  private leave(key: string, flight: Flight<T>): void {
    flight.waiting--;
    if (flight.waiting > 0) return;
    // Nobody waits: stop the fetch, and let the next caller start afresh rather than join an aborted one.
    if (this.flights.get(key) === flight) this.flights.delete(key);
    flight.controller.abort();
  }
}
