/**
 * The language server's memory of account facts, for one connection: the editor's answers to
 * lambdaInvoke/accountFacts by scope (the workspace folder whose settings apply) and fact, the
 * requests in flight (at most one per fact), and how long an answer stands before the fact may be
 * asked again: briefly for an `unavailable` one (or none within the timeout), longer for facts. The server holds no credentials: it
 * only asks the editor and remembers what the editor said.
 */
import { type CancellationToken, CancellationTokenSource } from 'vscode-languageserver';
import type { AccountFactsParams, AccountFactsResult } from '../protocol/accountFacts';
import type { AccountFactsLookup } from '../language/account';
import { factsKey } from '../language/accountSubject';

export interface AccountFactsTiming {
  /** How long the editor may take to answer before the fact counts as unavailable. */
  answerWithinMs: number;
  /** How long an unavailable fact stands before it is asked again: typing never asks anew for it. */
  unavailableForMs: number;
  /** How long a known fact stands before it is asked again (still shown meanwhile): a function created since shows up. */
  knownForMs: number;
}

/** Sends one request to the editor; resolves with what it answered. */
export type AskEditor = (params: AccountFactsParams, token: CancellationToken) => Promise<unknown>;

interface Entry {
  result: AccountFactsResult;
  /** performance.now() when it was answered. */
  at: number;
  /** Answered before the facts last changed: still shown, until the new answer replaces it, but asked again. */
  stale: boolean;
}

interface Flight {
  answered: Promise<void>;
  cancel: CancellationTokenSource;
  /** The wait for the answer, stopped by forget so that nothing of a closed server stays pending. */
  deadline: NodeJS.Timeout;
}

/** What stands for an answer that did not come. */
function unavailable(message: string): AccountFactsResult {
  return { kind: 'unavailable', reason: 'unreachable', message };
}

/** How each kind of answer must look for the checks to read it; anything else counts as unavailable. */
const ANSWER_SHAPES: Readonly<Record<string, (answer: Record<string, unknown>) => boolean>> = {
  functions: (a) => Array.isArray(a.functions) && a.functions.every((f) => typeof f === 'object' && f !== null && typeof (f as { name?: unknown }).name === 'string'),
  function: (a) => {
    const facts = a.facts as { configuration?: unknown; aliases?: unknown; versions?: unknown } | undefined;
    return typeof facts?.configuration === 'object' && facts.configuration !== null && Array.isArray(facts.aliases) && Array.isArray(facts.versions);
  },
  'not-found': () => true,
  unavailable: () => true,
};

function asResult(answer: unknown): AccountFactsResult {
  if (typeof answer !== 'object' || answer === null) return unavailable('The editor answered without facts.');
  const kind = (answer as { kind?: unknown }).kind;
  const shape = typeof kind === 'string' ? ANSWER_SHAPES[kind] : undefined;
  return shape?.(answer as Record<string, unknown>) ? (answer as AccountFactsResult) : unavailable('The editor answered with facts of an unknown shape.');
}

export class AccountFactsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Flight>();

  constructor(
    private readonly askEditor: AskEditor,
    /** Called with the key of each fact, and the fact, as its answer is stored. */
    private readonly answered: (key: string, params: AccountFactsParams) => void,
    private readonly timing: AccountFactsTiming,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The key of a fact in a scope: what the answers are remembered by. */
  key(scope: string, params: AccountFactsParams): string {
    return `${scope}\n${factsKey(params)}`;
  }

  /** What is known in `scope`, as the language service reads it. */
  lookup(scope: string): AccountFactsLookup {
    const known = (params: AccountFactsParams) => this.entries.get(this.key(scope, params))?.result;
    return {
      functions: (target) => known({ kind: 'functions', target }),
      function: (target, functionName) => known({ kind: 'function', target, functionName }),
    };
  }

  /**
   * Asks the editor for those of `needed` that are not known, not in flight, and not unavailable
   * lately; `uri` goes with each request so that its folder's settings apply. Resolves once every
   * one of `needed` that is in flight has been answered.
   */
  ask(scope: string, uri: string, needed: readonly AccountFactsParams[]): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const params of needed) {
      const key = this.key(scope, params);
      if (this.wanted(key)) this.send(key, { ...params, uri });
      const flight = this.inFlight.get(key);
      if (flight) waits.push(flight.answered);
    }
    return Promise.all(waits).then(() => undefined);
  }

  /** Every answer goes stale (shown until its new answer comes, but asked again), and requests in flight are cancelled. */
  forget(): void {
    for (const flight of this.inFlight.values()) {
      clearTimeout(flight.deadline);
      flight.cancel.cancel();
    }
    this.inFlight.clear();
    for (const entry of this.entries.values()) entry.stale = true;
  }

  private wanted(key: string): boolean {
    if (this.inFlight.has(key)) return false;
    const entry = this.entries.get(key);
    if (!entry || entry.stale) return true;
    const standsForMs = entry.result.kind === 'unavailable' ? this.timing.unavailableForMs : this.timing.knownForMs;
    return this.now() - entry.at >= standsForMs;
  }

  private send(key: string, params: AccountFactsParams): void {
    const cancel = new CancellationTokenSource();
    let deadline!: NodeJS.Timeout;
    const late = new Promise<AccountFactsResult>((resolve) => {
      deadline = setTimeout(() => {
        cancel.cancel();
        resolve(unavailable(`The editor did not answer within ${this.timing.answerWithinMs / 1000} s.`));
      }, this.timing.answerWithinMs);
    });
    const asked = this.askEditor(params, cancel.token).then(asResult, (error: unknown) => unavailable(error instanceof Error ? error.message : String(error)));
    const flight: Flight = {
      cancel,
      deadline,
      answered: Promise.race([asked, late]).then((result) => {
        clearTimeout(deadline);
        // Forgotten while it was asked: what it says is from before the facts changed.
        if (this.inFlight.get(key) !== flight) return;
        this.inFlight.delete(key);
        this.entries.set(key, { result, at: this.now(), stale: false });
        this.answered(key, params);
      }),
    };
    this.inFlight.set(key, flight);
  }
}
