/**
 * The server's account features, on only for a client that said in `initializationOptions` that
 * it answers lambdaInvoke/accountFacts: the account warnings in every publication, the requests
 * for the facts a document needs (sent once the documents have been quiet for a moment, so typing
 * a profile or an endpoint does not ask for every prefix), a republication of a document when its
 * facts arrive, a short wait for the facts a completion reads, and a fresh look at every open
 * document when the facts change. The keystroke path gains the account checks against what is
 * already known, and nothing else: asking is never on it.
 */
import { fileURLToPath } from 'node:url';
import type { CancellationToken, Connection, Diagnostic, Position, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type AccountFactsParams, AccountFactsRequest, type AccountFactsResult } from '../protocol/accountFacts';
import { isInside } from '../protocol/workspacePaths';
import { type AccountFactsLookup, accountDiagnostics, accountFactsNeeded, worthAsking } from '../language/account';
import { completionFactsNeeded } from '../language/completion';
import type { ParsedDocument } from '../language/document';
import { AccountFactsCache } from './accountFactsCache';
import { formatError } from './runner';

export const AccountTiming = {
  /** How long the documents must be quiet before the facts they need are asked for. */
  askAfterQuietMs: 300,
  /** How long the editor may take to answer one request. */
  answerWithinMs: 15_000,
  /** How long an unavailable fact stands: at most one request per fact in this time, however much is typed. */
  unavailableForMs: 30_000,
  /** How long a known fact stands before it is asked again, as long as the extension keeps its catalogue. */
  knownForMs: 5 * 60_000,
  /** How long a completion waits for the facts it reads before it offers what it has. */
  completionWaitMs: 1_500,
} as const;

/** What the features need of the server: its documents, their parses and its workspace folders. */
export interface AccountHost {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  parse(document: TextDocument): ParsedDocument;
  workspaceRoots(): readonly string[];
  refreshLenses(): void;
  logError(message: string): void;
}

/** `promise`, or nothing once `ms` have passed or `token` is cancelled, whichever comes first. */
function within(promise: Promise<void>, ms: number, token: CancellationToken): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const cancelled = token.onCancellationRequested(() => resolve());
    const done = () => {
      clearTimeout(timer);
      cancelled.dispose();
      resolve();
    };
    promise.then(done, done);
  });
}

export class AccountFeatures {
  private readonly cache: AccountFactsCache;
  /** The diagnostics of validateDocument last published for each document, with their version: a republication adds the account's to them. */
  private readonly published = new Map<string, { version: number; diagnostics: Diagnostic[] }>();
  /** The keys of the facts each open document needed when last looked at: whom an answer concerns. */
  private readonly wanting = new Map<string, Set<string>>();
  /** Documents to look at once things are quiet. */
  private readonly quietQueue = new Set<string>();
  private quietTimer: NodeJS.Timeout | undefined;
  private lensRefresh: NodeJS.Immediate | undefined;

  constructor(private readonly host: AccountHost) {
    this.cache = new AccountFactsCache(
      (params, token) => host.connection.sendRequest(AccountFactsRequest.method, params, token),
      (key, params) => this.answered(key, params.kind),
      AccountTiming,
    );
  }

  /** What is known for the document at `uri`: the facts of its folder. */
  lookupFor(uri: string): AccountFactsLookup {
    return this.cache.lookup(this.scopeOf(uri));
  }

  /**
   * The diagnostics to publish for a version: validateDocument's, then the account's for the facts
   * already known. The facts it lacks are asked for once the documents have been quiet.
   */
  withAccount(document: TextDocument, doc: ParsedDocument, diagnostics: Diagnostic[]): Diagnostic[] {
    this.published.set(document.uri, { version: document.version, diagnostics });
    this.lookSoon(document.uri);
    return [...diagnostics, ...this.accountDiagnostics(document, doc)];
  }

  /**
   * Waits (briefly) for the facts a completion at `position` reads, asking for them first:
   * inside `functionName` the catalogue (and after `name:` the function's qualifiers), inside
   * `qualifier` the function's versions and aliases.
   */
  factsAt(uri: string, position: Position, token: CancellationToken): Promise<void> {
    return this.waitForFacts(uri, token, (document, doc, lookup) => completionFactsNeeded(doc, document.offsetAt(position), lookup));
  }

  /**
   * Waits (briefly) for what a hover reads: the facts the document's invocations need, asked now
   * rather than after the quiet period, the catalogue first and then the functions it lists.
   */
  factsForHover(uri: string, token: CancellationToken): Promise<void> {
    return this.waitForFacts(uri, token, (_document, doc, lookup) =>
      accountFactsNeeded(doc).filter((params) => worthAsking(params, lookup) && knownFact(lookup, params) === undefined),
    );
  }

  /**
   * Asks for what `needed` names and waits for it, at most AccountTiming.completionWaitMs in all.
   * Two rounds: the catalogue first, then the facts of a function it lists.
   */
  private async waitForFacts(
    uri: string,
    token: CancellationToken,
    needed: (document: TextDocument, doc: ParsedDocument, lookup: AccountFactsLookup) => AccountFactsParams[],
  ): Promise<void> {
    const deadline = performance.now() + AccountTiming.completionWaitMs;
    for (let round = 0; round < 2 && !token.isCancellationRequested; round++) {
      const document = this.host.documents.get(uri);
      if (!document) return;
      const asked = needed(document, this.host.parse(document), this.lookupFor(uri));
      const left = deadline - performance.now();
      if (asked.length === 0 || left <= 0) return;
      await within(this.cache.ask(this.scopeOf(uri), uri, asked), left, token);
    }
  }

  /** The facts changed (the editor said so, or the settings did): ask again for every open document's. */
  factsChanged(): void {
    this.cache.forget();
    for (const uri of this.published.keys()) this.republish(uri);
  }

  closed(uri: string): void {
    this.published.delete(uri);
    this.wanting.delete(uri);
    this.quietQueue.delete(uri);
  }

  dispose(): void {
    clearTimeout(this.quietTimer);
    if (this.lensRefresh) clearImmediate(this.lensRefresh);
    this.quietQueue.clear();
    this.cache.forget();
  }

  /** The account's warnings for what is known; a failure of theirs costs them alone, never the other diagnostics. */
  private accountDiagnostics(document: TextDocument, doc: ParsedDocument): Diagnostic[] {
    try {
      return accountDiagnostics(document, doc, this.lookupFor(document.uri));
    } catch (error) {
      this.host.logError(formatError(`Account checks failed for ${document.uri}`, error));
      return [];
    }
  }

  private lookSoon(uri: string): void {
    this.quietQueue.add(uri);
    clearTimeout(this.quietTimer);
    this.quietTimer = setTimeout(() => {
      const uris = [...this.quietQueue];
      this.quietQueue.clear();
      for (const queued of uris) this.askFor(queued);
    }, AccountTiming.askAfterQuietMs);
  }

  /** Asks for the facts the document's current version needs and does not have. */
  private askFor(uri: string): void {
    const document = this.host.documents.get(uri);
    if (!document) return;
    try {
      const scope = this.scopeOf(uri);
      const lookup = this.cache.lookup(scope);
      const needed = accountFactsNeeded(this.host.parse(document));
      this.wanting.set(uri, new Set(needed.map((params) => this.cache.key(scope, params))));
      void this.cache.ask(scope, uri, needed.filter((params) => worthAsking(params, lookup)));
    } catch (error) {
      this.host.logError(formatError(`Asking for the account facts of ${uri} failed`, error));
    }
  }

  private answered(key: string, kind: AccountFactsParams['kind']): void {
    for (const [uri, keys] of this.wanting) if (keys.has(key)) this.republish(uri);
    // A lens shows a function's timeout, from its own facts; answers that come together refresh once.
    if (kind === 'function' && this.lensRefresh === undefined) {
      this.lensRefresh = setImmediate(() => {
        this.lensRefresh = undefined;
        this.host.refreshLenses();
      });
    }
  }

  /**
   * Publishes the document's last diagnostics again with the account's for what is known now
   * (LSP replaces a document's diagnostics with each publication, so both go together), and asks
   * for what it needs now. A document with a newer version waits for its own validation instead.
   */
  private republish(uri: string): void {
    const document = this.host.documents.get(uri);
    const last = this.published.get(uri);
    if (!document || last?.version !== document.version) return;
    try {
      const account = this.accountDiagnostics(document, this.host.parse(document));
      void this.host.connection.sendDiagnostics({ uri, version: document.version, diagnostics: [...last.diagnostics, ...account] });
    } catch (error) {
      this.host.logError(formatError(`Publishing the account checks of ${uri} failed`, error));
    }
    this.askFor(uri);
  }

  /**
   * Whose settings apply to a document: its workspace folder's (the deepest that holds it), or the
   * document's own for one outside every folder. Answers are remembered per scope.
   */
  private scopeOf(uri: string): string {
    if (!uri.startsWith('file:')) return uri;
    const file = fileURLToPath(uri);
    let scope: string | undefined;
    for (const root of this.host.workspaceRoots()) {
      if (isInside(root, file) && (scope === undefined || root.length > scope.length)) scope = root;
    }
    return scope ?? uri;
  }
}

/** The answer the lookup already has for `params`, or undefined. */
function knownFact(lookup: AccountFactsLookup, params: AccountFactsParams): AccountFactsResult | undefined {
  return params.kind === 'functions' ? lookup.functions(params.target) : lookup.function(params.target, params.functionName);
}
