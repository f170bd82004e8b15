/**
 * The language server's wiring: documents, validation scheduling, payload-file watching and
 * the request handlers, and the account features (accountFeatures.ts) for a client that answers
 * lambdaInvoke/accountFacts. Runtime-neutral: it takes a connection and a file reader, so the
 * Node entry (serverMain.ts) only builds those and hands them in.
 */
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CodeLensRefreshRequest,
  type Connection,
  DidChangeWatchedFilesNotification,
  type InitializeResult,
  TextDocumentContentChangeEvent,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AccountFactsChangedNotification, type AccountFactsInitOptions } from '../protocol/accountFacts';
import { SettingIds } from '../protocol/ids';
import { PACKAGE_VERSION } from '../protocol/packageManifest';
import type { ServerSettings } from '../protocol/messages';
import { codeActions } from '../language/codeActions';
import { codeLenses } from '../language/codeLens';
import { completions } from '../language/completion';
import { hover } from '../language/hover';
import { type ValidationContext, invocationFacts } from '../language/invocationFacts';
import { type ParsedDocument, type TextChange, parseDocument, reparseDocument } from '../language/document';
import type { NodePayloadFileReader } from './payloadFileReader';
import { documentSymbols } from '../language/symbols';
import { validateDocument } from '../language/validate';
import { AccountFeatures } from './accountFeatures';
import { formatError, runSafe } from './runner';

/**
 * Serves one client on `connection`. Touches nothing process-wide (console, process events):
 * those belong to the process's entry (serverMain.ts), so tests can run several servers in one
 * process.
 */
export function startServer(connection: Connection, files: NodePayloadFileReader): void {
  const parsed = new Map<string, { version: number; doc: ParsedDocument }>();
  /** Per open document, the edits since its last parse: what lets the next parse reuse that one. */
  const unparsedEdits = new Map<string, UnparsedEdits>();
  const documents = new TextDocuments<TextDocument>({
    create: (uri, languageId, version, text) => {
      // A didOpen starts afresh, even for a URI that was never closed.
      parsed.delete(uri);
      unparsedEdits.delete(uri);
      return TextDocument.create(uri, languageId, version, text);
    },
    update: (document, changes, version) => updateNotingEdits(document, changes, version, unparsedEdits),
  });
  /** Resolved payload-file paths each open document depends on. */
  const dependencies = new Map<string, Set<string>>();
  const pending = new Map<string, NodeJS.Immediate>();
  let workspaceRoots: string[] = [];
  let canPullConfiguration = false;
  let canRefreshLenses = false;
  let canWatchFiles = false;
  let canTrackFolders = false;
  const refreshLenses = (): void => {
    if (canRefreshLenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  };
  const logger = { error: (message: string) => connection.console.error(message) };
  /** Set at initialize, for a client that answers lambdaInvoke/accountFacts; without it no request is ever sent. */
  let account: AccountFeatures | undefined;

  /**
   * The document's parse for its current version. When the edits since the cached parse are known
   * and start from its text, reparseDocument may carry its structure over (a keystroke inside the
   * payload); whatever the edits, the result is what parseDocument would return.
   */
  const parse = (document: TextDocument): ParsedDocument => {
    const cached = parsed.get(document.uri);
    if (cached?.version === document.version) return cached.doc;
    const text = document.getText();
    const edits = unparsedEdits.get(document.uri);
    unparsedEdits.delete(document.uri);
    // `base` is normally the very string the cached parse holds, so this comparison costs nothing.
    const doc =
      cached && edits?.changes && edits.base === cached.doc.text ? reparseDocument(cached.doc, edits.changes, text) : parseDocument(text);
    parsed.set(document.uri, { version: document.version, doc });
    return doc;
  };

  const contextFor = (uri: string): ValidationContext => ({
    documentPath: uri.startsWith('file:') ? fileURLToPath(uri) : undefined,
    workspaceRoots,
    files,
  });

  const validate = (document: TextDocument): void => {
    try {
      const doc = parse(document);
      const ctx = contextFor(document.uri);
      const diagnostics = validateDocument(document, doc, ctx);
      const deps = new Set<string>();
      for (const invocation of doc.invocations) {
        const payload = invocationFacts(doc, invocation, ctx).payload;
        if (payload.kind === 'file' && payload.resolved) deps.add(payload.resolved);
      }
      dependencies.set(document.uri, deps);
      const published = account ? account.withAccount(document, doc, diagnostics) : diagnostics;
      void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: published });
    } catch (e) {
      logger.error(formatError(`Validation failed for ${document.uri}`, e));
    }
  };

  /**
   * Validation runs on the next turn of the event loop, for the newest version only: a burst
   * of edits that arrived together is validated once, and requests queued behind it run first.
   */
  const schedule = (uri: string): void => {
    const previous = pending.get(uri);
    if (previous) clearImmediate(previous);
    pending.set(
      uri,
      setImmediate(() => {
        pending.delete(uri);
        const document = documents.get(uri);
        if (document) validate(document);
      }),
    );
  };

  /** Settings per document (the region may differ per folder), fetched once until they change. */
  const settingsCache = new Map<string, Promise<ServerSettings>>();
  const settingsFor = (uri: string): Promise<ServerSettings> => {
    if (!canPullConfiguration) return Promise.resolve({});
    let settings = settingsCache.get(uri);
    if (!settings) {
      settings = (connection.workspace.getConfiguration({ scopeUri: uri, section: SettingIds.section }) as Promise<ServerSettings | null>).then(
        (value) => value ?? {},
        (e: unknown) => {
          logger.error(formatError(`Reading the ${SettingIds.section} settings for ${uri} failed`, e));
          return {};
        },
      );
      settingsCache.set(uri, settings);
    }
    return settings;
  };

  connection.onInitialize((params): InitializeResult => {
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: '' }] : []);
    workspaceRoots = folders.filter((f) => f.uri.startsWith('file:')).map((f) => path.resolve(fileURLToPath(f.uri)));
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    canRefreshLenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    canTrackFolders = params.capabilities.workspace?.workspaceFolders === true;
    if ((params.initializationOptions as AccountFactsInitOptions | null | undefined)?.accountFacts === true) {
      account = new AccountFeatures({ connection, documents, parse, workspaceRoots: () => workspaceRoots, refreshLenses, logError: logger.error });
    }
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['"', ':'] },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        documentSymbolProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'lambda-invoke', version: PACKAGE_VERSION },
    };
  });

  connection.onInitialized(() => {
    if (canWatchFiles) {
      // Any JSON file may be someone's payloadFile; the handler below narrows to dependents.
      void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.json' }] });
    }
    if (canTrackFolders) {
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => path.resolve(fileURLToPath(f.uri))));
        workspaceRoots = workspaceRoots.filter((r) => !removed.has(r));
        for (const f of event.added) if (f.uri.startsWith('file:')) workspaceRoots.push(path.resolve(fileURLToPath(f.uri)));
        documents.all().forEach((d) => schedule(d.uri));
      });
    }
  });

  connection.onDidChangeConfiguration(() => {
    settingsCache.clear();
    // The settings are the target below the file's own fields: what was looked up there may not hold.
    account?.factsChanged();
    refreshLenses();
  });

  connection.onNotification(AccountFactsChangedNotification.method, () => account?.factsChanged());
  connection.onShutdown(() => account?.dispose());

  connection.onDidChangeWatchedFiles((params) => {
    const changed = new Set<string>();
    for (const change of params.changes) {
      if (!change.uri.startsWith('file:')) continue;
      const file = fileURLToPath(change.uri);
      files.forget(file);
      changed.add(file);
    }
    for (const [uri, deps] of dependencies) {
      if ([...deps].some((d) => changed.has(d))) schedule(uri);
    }
    refreshLenses();
  });

  documents.onDidChangeContent((event) => schedule(event.document.uri));
  documents.onDidClose((event) => {
    const timer = pending.get(event.document.uri);
    if (timer) clearImmediate(timer);
    pending.delete(event.document.uri);
    parsed.delete(event.document.uri);
    unparsedEdits.delete(event.document.uri);
    settingsCache.delete(event.document.uri);
    dependencies.delete(event.document.uri);
    account?.closed(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  const withDocument = <T>(uri: string, fallback: T, run: (document: TextDocument, doc: ParsedDocument) => T): (() => T) => () => {
    const document = documents.get(uri);
    return document ? run(document, parse(document)) : fallback;
  };

  connection.onCodeLens(async (params, token) => {
    const uri = params.textDocument.uri;
    const { region } = await settingsFor(uri);
    return runSafe(logger, 'Code lenses', uri, token, [], withDocument(uri, [], (document, doc) =>
      codeLenses(document, doc, contextFor(uri), { region }, account?.lookupFor(uri)),
    ));
  });
  connection.onHover(async (params, token) => {
    const uri = params.textDocument.uri;
    // A hover on a function name shows its configuration: wait briefly for it, as completion does.
    await account?.factsForHover(uri, token).catch((e: unknown) => logger.error(formatError(`Account facts for hover in ${uri}`, e)));
    return runSafe(logger, 'Hover', uri, token, null, withDocument(uri, null, (document, doc) =>
      hover(document, doc, document.offsetAt(params.position), contextFor(document.uri), account?.lookupFor(document.uri)),
    ));
  });
  connection.onCompletion(async (params, token) => {
    const uri = params.textDocument.uri;
    // Asking cannot fail the completion: without the facts it offers what it has.
    await account?.factsAt(uri, params.position, token).catch((e: unknown) => logger.error(formatError(`Account facts for completion in ${uri}`, e)));
    return runSafe(logger, 'Completion', uri, token, [], withDocument(uri, [], (document, doc) =>
      completions(document, doc, document.offsetAt(params.position), account?.lookupFor(uri)),
    ));
  });
  connection.onCodeAction((params, token) =>
    runSafe(logger, 'Code actions', params.textDocument.uri, token, [], withDocument(params.textDocument.uri, [], (document, doc) =>
      codeActions(document, doc, document.offsetAt(params.range.start), params.context.diagnostics),
    )),
  );
  connection.onDocumentSymbol((params, token) =>
    runSafe(logger, 'Document symbols', params.textDocument.uri, token, [], withDocument(params.textDocument.uri, [], documentSymbols)),
  );

  documents.listen(connection);
  connection.listen();
}

/** The edits applied to a document since its last parse, as reparseDocument takes them. */
interface UnparsedEdits {
  /** The text the first of them applied to. */
  base: string;
  /** Undefined once reuse is ruled out: a whole-text change came, or more than MAX_UNPARSED_CHANGES. */
  changes: TextChange[] | undefined;
}

/** A longer run of edits between two parses is not followed: the next parse starts from scratch. */
const MAX_UNPARSED_CHANGES = 64;

/**
 * TextDocument.update, one change at a time (as it applies them anyway), noting where each change
 * fell in the text it applied to: TextDocuments hands over positions, and the parse needs offsets.
 */
function updateNotingEdits(
  document: TextDocument,
  changes: TextDocumentContentChangeEvent[],
  version: number,
  log: Map<string, UnparsedEdits>,
): TextDocument {
  let edits = log.get(document.uri);
  if (!edits) {
    edits = { base: document.getText(), changes: [] };
    log.set(document.uri, edits);
  }
  if (changes.length === 0) return TextDocument.update(document, changes, version);
  for (const change of changes) {
    edits.changes = withChange(edits.changes, document, change);
    document = TextDocument.update(document, [change], version);
  }
  return document;
}

/** `changes` with `change` added, in offsets of the document's text before it; undefined for a whole-text change. */
function withChange(changes: TextChange[] | undefined, document: TextDocument, change: TextDocumentContentChangeEvent): TextChange[] | undefined {
  if (changes === undefined || changes.length >= MAX_UNPARSED_CHANGES || !TextDocumentContentChangeEvent.isIncremental(change)) return undefined;
  // TextDocument.update orders the range's ends the same way; the deprecated rangeLength is ignored, as it does.
  const a = document.offsetAt(change.range.start);
  const b = document.offsetAt(change.range.end);
  changes.push({ offset: Math.min(a, b), length: Math.abs(b - a), text: change.text });
  return changes;
}
