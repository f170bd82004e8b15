/**
 * From an `.invoke.json` file to a result: validate it exactly as the editor does (nothing is
 * sent when the invocation has errors), read the invocation into a request, resolve where and
 * as whom to call, and invoke. Shared by the VS Code commands and the CLI.
 */
import * as fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { LANGUAGE_ID } from '../protocol/ids';
import { encodeClientContext } from '../lambda/clientContext';
import { type ValidationContext, invocationFacts } from '../language/invocationFacts';
import { type Invocation, type ParsedDocument, nodeText, parseDocument, valueNode } from '../language/document';
import { PayloadSnapshot } from './payloadFile';
import { type DiagnosticData, validateDocument } from '../language/validate';
import { invoke } from './invoke';
import { needsEndpointConfirmation, resolveTarget } from './resolve';
import { type InvocationRequest, type InvocationResult, InvokeError, type InvokeOptions, type Overrides, type ResolvedTarget } from './types';

export interface CheckedFile {
  document: TextDocument;
  doc: ParsedDocument;
  diagnostics: Diagnostic[];
  ctx: ValidationContext;
  /** The payload files as they were when checked: what is sent. */
  payloads: PayloadSnapshot;
}

export interface FileInput {
  /** Absolute path of the `.invoke.json` file. */
  filePath: string;
  /** The file's text; read from disk when absent (the editor passes its unsaved buffer). */
  text?: string;
  /** URI for the document (defaults to the file URI). */
  uri?: string;
  workspaceRoots: readonly string[];
}

/** Validates a file with the language service, as the editor does. */
export function checkFile(input: FileInput): CheckedFile {
  const text = input.text ?? fs.readFileSync(input.filePath, 'utf8');
  // pathToFileURL escapes `#`, `?` and `%` and writes Windows drive paths as file:///C:/….
  const uri = input.uri ?? pathToFileURL(input.filePath).href;
  const document = TextDocument.create(uri, LANGUAGE_ID, 0, text);
  const doc = parseDocument(text);
  const payloads = new PayloadSnapshot();
  const ctx: ValidationContext = { documentPath: input.filePath, workspaceRoots: input.workspaceRoots, files: payloads };
  return { document, doc, ctx, payloads, diagnostics: validateDocument(document, doc, ctx) };
}

/** `file:line:col: severity code message`, 1-based, as compilers print them. */
export function formatDiagnostic(filePath: string, d: Diagnostic): string {
  const severity = d.severity === DiagnosticSeverity.Warning ? 'warning' : d.severity === DiagnosticSeverity.Error || d.severity === undefined ? 'error' : 'info';
  return `${filePath}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${severity} ${String(d.code)} ${typeof d.message === 'string' ? d.message : d.message.value}`;
}

export interface Selector {
  index?: number;
  name?: string;
}

/** Picks one invocation of a file by index or name; a file with one needs neither. */
export function selectInvocation(checked: CheckedFile, selector: Selector, filePath: string): Invocation {
  const all = checked.doc.invocations;
  const list = () => all.map((inv) => `  [${inv.index}] ${typeof inv.value.name === 'string' ? inv.value.name : String(inv.value.functionName)}`).join('\n');
  if (selector.index !== undefined) {
    const found = all.find((inv) => inv.index === selector.index);
    if (!found) throw new InvokeError('validation', `${filePath} has no invocation at index ${selector.index}. It holds:\n${list()}`);
    return found;
  }
  if (selector.name !== undefined) {
    const found = all.filter((inv) => inv.value.name === selector.name);
    if (found.length === 1) return found[0]!;
    throw new InvokeError(
      'validation',
      found.length === 0 ? `${filePath} has no invocation named ${JSON.stringify(selector.name)}. It holds:\n${list()}` : `${filePath} has ${found.length} invocations named ${JSON.stringify(selector.name)}; pick one by index:\n${list()}`,
    );
  }
  if (all.length === 1) return all[0]!;
  if (all.length === 0) throw new InvokeError('validation', `${filePath} holds no invocation.`);
  throw new InvokeError('validation', `${filePath} holds ${all.length} invocations; pick one by index or name:\n${list()}`);
}

/**
 * The errors that stop this invocation: its own, and those of the whole file (syntax, top
 * level). Another invocation's mistake in an array file does not stop this one.
 */
export function blockingDiagnostics(checked: CheckedFile, invocation: Invocation): Diagnostic[] {
  return checked.diagnostics.filter((d) => {
    if (!isError(d)) return false;
    const data = d.data as DiagnosticData | undefined;
    return data?.index === undefined || data.index === invocation.index;
  });
}

function isError(d: Diagnostic): boolean {
  return d.severity === undefined || d.severity === DiagnosticSeverity.Error;
}

/** Reads a valid invocation into the request to send. */
export function toRequest(checked: CheckedFile, invocation: Invocation, dryRun = false): InvocationRequest {
  const { doc, ctx, payloads } = checked;
  const v = invocation.value;
  const facts = invocationFacts(doc, invocation, ctx);
  const str = (key: string) => (typeof v[key] === 'string' ? v[key] : undefined);
  let payload: Uint8Array = new Uint8Array(0);
  let payloadSource: InvocationRequest['payloadSource'] = 'none';
  if (facts.payload.kind === 'inline') {
    payload = Buffer.from(nodeText(doc.text, facts.payload.node), 'utf8');
    payloadSource = 'inline';
  } else if (facts.payload.kind === 'file' && facts.payload.resolved && !facts.payload.outside) {
    // The bytes the check read, not a second read that could find other bytes (or another file).
    const real = payloads.realPath(facts.payload.resolved) ?? facts.payload.resolved;
    const bytes = payloads.bytes(real);
    if (bytes === undefined) throw new InvokeError('validation', `Not sent: the payload file ${facts.payload.resolved} could not be read.`, { hint: 'Check that it exists and can be read, then invoke again.' });
    payload = bytes;
    payloadSource = { file: facts.payload.resolved };
  }
  const request: InvocationRequest = {
    index: invocation.index,
    functionName: String(v.functionName),
    invocationType: dryRun ? 'DryRun' : facts.invocationType,
    logType: v.logType === 'Tail' ? 'Tail' : 'None',
    payload,
    payloadSource,
  };
  const optional = { name: str('name'), qualifier: str('qualifier'), tenantId: str('tenantId'), durableExecutionName: str('durableExecutionName'), region: str('region'), profile: str('profile'), endpoint: str('endpoint') };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined && value !== '') (request as unknown as Record<string, string>)[key] = value;
  }
  const contextProperty = invocation.properties.get('clientContext');
  const contextNode = contextProperty && valueNode(contextProperty);
  if (contextNode?.type === 'object') request.clientContext = encodeClientContext(nodeText(doc.text, contextNode));
  else if (typeof v.clientContext === 'string') request.clientContext = v.clientContext;
  return request;
}

/** Validates and reads one invocation; throws a `validation` InvokeError listing what stops it. */
export function prepare(input: FileInput, selector: Selector, dryRun = false): { checked: CheckedFile; invocation: Invocation; request: InvocationRequest } {
  const checked = checkFile(input);
  // Errors of the whole file (syntax, top level) come first: without a sound file there is no invocation to pick.
  const fileLevel = checked.diagnostics.filter((d) => isError(d) && (d.data as DiagnosticData | undefined)?.index === undefined);
  if (fileLevel.length > 0) throw validationError(input.filePath, fileLevel);
  const invocation = selectInvocation(checked, selector, input.filePath);
  const errors = blockingDiagnostics(checked, invocation);
  if (errors.length > 0) throw validationError(input.filePath, errors);
  return { checked, invocation, request: toRequest(checked, invocation, dryRun) };
}

function validationError(filePath: string, diagnostics: Diagnostic[]): InvokeError {
  const lines = diagnostics.map((d) => formatDiagnostic(filePath, d));
  return new InvokeError(
    'validation',
    `Not sent: ${diagnostics.length === 1 ? 'the invocation has an error' : `the invocation has ${diagnostics.length} errors`} that Lambda would reject.`,
    { hint: 'Fix the problems marked in the file, then invoke again.', diagnostics: lines },
  );
}

export interface RunInput extends FileInput, Selector {
  dryRun?: boolean;
  overrides?: Overrides;
  env?: NodeJS.ProcessEnv;
  /**
   * Asked before anything is signed or sent when the `.invoke.json` file itself names an
   * endpoint that is not this machine: a repository must not route your signed requests and
   * payloads to its own server silently. Resolve true to send. Absent means refuse.
   */
  confirmEndpoint?: (endpoint: URL, source: string) => Promise<boolean>;
}

export { needsEndpointConfirmation };

/** The refusal when the user (or the command line) did not allow a file's remote endpoint. */
export function endpointRefusedError(filePath: string, endpoint: URL): InvokeError {
  const origin = endpoint.origin;
  return new InvokeError(
    'configuration',
    `Not sent: ${filePath} asks to send the signed request and payload to ${origin}, which is not this machine, and that was not allowed. Nothing was sent.`,
    {
      hint: `To allow it: in VS Code, choose Send when asked; with the CLI, pass --allow-endpoint ${origin} (or --allow-file-endpoints). Or remove "endpoint" from the file.`,
    },
  );
}

export interface RunOutcome {
  request: InvocationRequest;
  target: ResolvedTarget;
  result: InvocationResult;
}

/** The whole job: validate, read, resolve, invoke. Throws InvokeError, with `request`/`target` attached when known. */
export async function runInvocation(input: RunInput, options: InvokeOptions = {}): Promise<RunOutcome> {
  const { request } = prepare(input, input, input.dryRun);
  let target: ResolvedTarget | undefined;
  try {
    target = await resolveTarget({ request, overrides: input.overrides ?? {}, env: input.env });
    // Decided before invoke(): credentials are fetched only when it signs, so nothing is signed or sent yet.
    if (needsEndpointConfirmation(target) && !(await input.confirmEndpoint?.(target.endpoint, target.endpointSource))) {
      throw endpointRefusedError(input.filePath, target.endpoint);
    }
    const result = await invoke(request, target, options);
    return { request, target, result };
  } catch (error) {
    throw attach(error, request, target);
  }
}

/** An InvokeError that also says which request and target it concerns. */
export interface InvokeFailure extends InvokeError {
  request?: InvocationRequest;
  target?: ResolvedTarget;
}

function attach(error: unknown, request: InvocationRequest, target: ResolvedTarget | undefined): InvokeFailure {
  const failure: InvokeFailure =
    error instanceof InvokeError ? error : new InvokeError('network', `The invocation failed: ${error instanceof Error ? error.message : String(error)}`);
  failure.request = request;
  if (target) failure.target = target;
  return failure;
}
