/**
 * Diagnostics for an `.invoke.json` document: the checks Lambda itself makes, run before
 * anything is sent. Document in, LSP diagnostics out; no connection in sight.
 */
import type { ErrorObject } from 'ajv';
import { type Node, findNodeAtLocation } from 'jsonc-parser';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { DIAGNOSTIC_SOURCE, type DiagnosticCode, DiagnosticCodes as C } from '../protocol/ids';
import { type InvocationType, InvocationTypeWords } from '../lambda/invocationTypes';
import { CLIENT_CONTEXT_KEYS, Limits, Patterns } from '../lambda/limits';
import { checkFunctionName } from '../lambda/functionName';
import { decodeClientContext, encodeClientContext } from '../lambda/clientContext';
import { formatBytes, formatCount, formatSize, quote } from '../lambda/format';
import { type Invocation, type ParsedDocument, keyNode, nodeText, valueNode } from './jsonDocument';
import { type InvocationFacts, type ValidationContext, invocationFacts } from './invocationFacts';
import { invocationKeys, validateInvocationValue } from './schema';

/** Extra facts a diagnostic carries for its quick fixes. */
export interface DiagnosticData {
  /** Invocation index in the file. */
  index: number;
  /** A replacement the quick fix may offer (a property name or enum value). */
  suggestion?: string;
}

interface Problem {
  code: DiagnosticCode;
  node: { offset: number; length: number };
  message: string;
  severity?: DiagnosticSeverity;
  data?: DiagnosticData;
}

export function validateDocument(document: TextDocument, doc: ParsedDocument, ctx: ValidationContext): Diagnostic[] {
  const problems: Problem[] = [];
  for (const error of doc.syntaxErrors) {
    problems.push({ code: C.jsonSyntax, node: error, message: error.message });
  }
  if (doc.syntaxErrors.length === 0) {
    checkTopLevel(doc, problems);
    for (const invocation of doc.invocations) {
      const facts = invocationFacts(doc, invocation, ctx);
      checkSchema(invocation, problems);
      checkInvocation(doc, invocation, facts, problems);
    }
  }
  return problems.map((p) => toDiagnostic(document, p));
}

function toDiagnostic(document: TextDocument, p: Problem): Diagnostic {
  const diagnostic: Diagnostic = {
    range: { start: document.positionAt(p.node.offset), end: document.positionAt(p.node.offset + p.node.length) },
    severity: p.severity ?? DiagnosticSeverity.Error,
    code: p.code,
    source: DIAGNOSTIC_SOURCE,
    message: p.message,
  };
  if (p.data) diagnostic.data = p.data;
  return diagnostic;
}

// ---------------------------------------------------------------------------------------
// Structure

function checkTopLevel(doc: ParsedDocument, problems: Problem[]): void {
  const root = doc.root;
  if (!root) return;
  if (root.type !== 'object' && root.type !== 'array') {
    problems.push({
      code: C.schema,
      node: root,
      message: 'An invoke file holds one invocation object, or an array of them, such as {"functionName": "my-function"}.',
    });
    return;
  }
  if (root.type === 'array' && (root.children?.length ?? 0) === 0) {
    problems.push({
      code: C.schema,
      node: { offset: root.offset, length: 1 },
      severity: DiagnosticSeverity.Warning,
      message: 'This array holds no invocations: add an object such as {"functionName": "my-function"}.',
    });
  }
  for (const element of doc.strayElements) {
    problems.push({
      code: C.schema,
      node: element,
      message: `Each element of the array must be an invocation object, not ${describeType(element.type)}.`,
    });
  }
}

function checkSchema(invocation: Invocation, problems: Problem[]): void {
  for (const shadowed of invocation.shadowed) {
    const key = keyNode(shadowed);
    problems.push({
      code: C.schema,
      node: key,
      message: `${quote(String(key.value))} appears more than once; JSON keeps only the last one. Remove one of them.`,
      data: { index: invocation.index },
    });
  }
  const errors = validateInvocationValue(invocation.value);
  // A value of the wrong type also fails its enum; the type is the one problem to report.
  const wrongType = new Set(errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  for (const error of errors) {
    if (error.keyword === 'enum' && wrongType.has(error.instancePath)) continue;
    const problem = schemaProblem(invocation, error);
    if (problem) problems.push(problem);
  }
}

function schemaProblem(invocation: Invocation, error: ErrorObject): Problem | undefined {
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  const node = findNodeAtLocation(invocation.node, path) ?? invocation.node;
  const where = path.length > 0 ? quote(path.join('.')) : 'The invocation';
  const data = { index: invocation.index };
  switch (error.keyword) {
    case 'additionalProperties': {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      const property = node.children?.find((p) => keyNode(p).value === name);
      const known = path.length === 0 ? invocationKeys : [];
      const suggestion = closest(name, known);
      const hint = suggestion ? ` Did you mean ${quote(suggestion)}?` : ` Known properties: ${known.join(', ')}.`;
      return {
        code: C.schema,
        node: property ? keyNode(property) : node,
        message: `Unknown property ${quote(name)}.${known.length > 0 ? hint : ''}`,
        data: suggestion ? { ...data, suggestion } : data,
      };
    }
    case 'required': {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      return {
        code: C.schema,
        node: { offset: node.offset, length: 1 },
        message: `Missing ${quote(missing)}: every invocation names the function to call, such as "functionName": "my-function".`,
        data,
      };
    }
    case 'type': {
      const expected = String((error.params as { type: string | string[] }).type).split(',');
      return {
        code: C.schema,
        node,
        message: `${where} must be ${expected.map(article).join(' or ')}, not ${describeType(node.type)}.`,
        data,
      };
    }
    case 'enum': {
      const allowed = (error.params as { allowedValues: string[] }).allowedValues;
      const got = typeof node.value === 'string' ? quote(node.value) : describeType(node.type);
      const suggestion = typeof node.value === 'string' ? closest(node.value, allowed) : undefined;
      return {
        code: C.schema,
        node,
        message: `${where} must be one of ${allowed.map((a) => quote(a)).join(', ')}; got ${got}.`,
        data: suggestion ? { ...data, suggestion } : data,
      };
    }
    default:
      return { code: C.schema, node, message: `${where} ${error.message ?? 'is not valid'}.`, data };
  }
}

// ---------------------------------------------------------------------------------------
// Lambda's rules

function checkInvocation(doc: ParsedDocument, invocation: Invocation, facts: InvocationFacts, problems: Problem[]): void {
  const v = invocation.value;
  const data = { index: invocation.index };
  const valueOf = (key: string) => {
    const property = invocation.properties.get(key);
    return property ? valueNode(property) : undefined;
  };
  const keyOf = (key: string) => keyNode(invocation.properties.get(key)!);
  const add = (code: DiagnosticCode, node: Node | undefined, message: string, severity?: DiagnosticSeverity) => {
    if (node) problems.push({ code, node, message, severity, data });
  };

  // functionName
  if (typeof v.functionName === 'string') {
    const check = checkFunctionName(v.functionName);
    const node = valueOf('functionName');
    if (!check.ok) {
      const p = check.problem;
      if (p.kind === 'name-too-long') {
        add(
          C.functionNameTooLong,
          node,
          `The function name ${quote(p.name)} is ${p.length} characters; Lambda allows at most ${Limits.functionNamePartMaxLength}. Check for a pasted value or use the function's real name.`,
        );
      } else {
        add(C.functionNameInvalid, node, functionNameMessage(p));
      }
    }
    const inName = check.ok ? check.parts.qualifier : check.parts?.qualifier;
    if (inName !== undefined && typeof v.qualifier === 'string' && v.qualifier !== inName) {
      add(
        C.qualifierConflict,
        valueOf('qualifier'),
        `The function name already selects ${quote(inName)}, but "qualifier" says ${quote(v.qualifier)}; Lambda rejects the call. Keep one of them.`,
      );
    }
    const arnRegion = check.ok ? check.parts.region : undefined;
    if (arnRegion !== undefined && typeof v.region === 'string' && v.region !== '' && v.region !== arnRegion) {
      add(
        C.regionMismatch,
        valueOf('region'),
        `The function's ARN is in ${arnRegion}, but "region" is ${v.region}: the call goes to ${v.region}, where this ARN does not exist. Make them agree.`,
        DiagnosticSeverity.Warning,
      );
    }
  }

  // qualifier
  if (typeof v.qualifier === 'string') {
    const q = v.qualifier;
    if (q.length < 1 || q.length > Limits.qualifierMaxLength || !Patterns.qualifier.test(q)) {
      add(
        C.qualifierInvalid,
        valueOf('qualifier'),
        q.length > Limits.qualifierMaxLength
          ? `The qualifier is ${q.length} characters; Lambda allows at most ${Limits.qualifierMaxLength}.`
          : `${quote(q)} is not a version or alias: use $LATEST, $LATEST.PUBLISHED, a version number, or an alias name (letters, digits, -, _).${badCharacter(q, /[a-zA-Z0-9\-_$]/)}`,
      );
    }
  }

  checkPayload(invocation, facts, add, keyOf);
  checkClientContext(doc, invocation, facts, add, keyOf);

  if (facts.invocationType === 'Event' && v.logType === 'Tail') {
    add(
      C.asyncIgnoresLogTail,
      keyOf('logType'),
      'Lambda returns no log for Event invocations: "logType": "Tail" has no effect here. Remove it, or use RequestResponse to see the log.',
      DiagnosticSeverity.Warning,
    );
  }

  checkHeaderValue(v.tenantId, valueOf('tenantId'), add, {
    code: C.tenantIdInvalid,
    label: 'The tenant id',
    max: Limits.tenantIdMaxLength,
    pattern: Patterns.tenantId,
    allowed: /[a-zA-Z0-9._:/=+\-@ ]/,
    allowedText: 'letters, digits, spaces and . _ : / = + - @',
  });
  checkHeaderValue(v.durableExecutionName, valueOf('durableExecutionName'), add, {
    code: C.durableExecutionNameInvalid,
    label: 'The durable execution name',
    max: Limits.durableExecutionNameMaxLength,
    pattern: Patterns.durableExecutionName,
    allowed: /[a-zA-Z0-9\-_]/,
    allowedText: 'letters, digits, - and _',
  });

  if (typeof v.endpoint === 'string') {
    const problem = endpointProblem(v.endpoint);
    if (problem) add(C.endpointInvalid, valueOf('endpoint'), problem);
  }
}

type Add = (code: DiagnosticCode, node: Node | undefined, message: string, severity?: DiagnosticSeverity) => void;

function functionNameMessage(p: Exclude<ReturnType<typeof checkFunctionName>, { ok: true }>['problem']): string {
  switch (p.kind) {
    case 'empty':
      return 'The function name is empty: write a name such as "my-function", or an ARN.';
    case 'too-long':
      return `The function name is ${formatCount(p.length)} characters; Lambda allows at most ${Limits.functionNameMaxLength}, ARN included.`;
    default:
      return 'Not a function name Lambda accepts. Use a name (letters, digits, -, _, .), optionally with :version or :alias, or an ARN such as arn:aws:lambda:us-west-2:123456789012:function:my-function.';
  }
}

function checkPayload(invocation: Invocation, facts: InvocationFacts, add: Add, keyOf: (key: string) => Node): void {
  const payload = facts.payload;
  const mode = modeText(facts.invocationType);
  const tooLarge = (bytes: number) =>
    `Payload is ${formatBytes(bytes)}; ${mode} accepts at most ${formatBytes(facts.limit)} (${formatSize(facts.limit)}). ` +
    (facts.invocationType === 'Event'
      ? 'Shrink it, or use RequestResponse (up to 6 MB).'
      : 'Shrink it, or pass a reference (such as an S3 key) instead of the data.');

  if (invocation.properties.has('payload') && invocation.properties.has('payloadFile')) {
    add(
      C.payloadConflict,
      keyOf('payloadFile'),
      'Both "payload" and "payloadFile" are set, and only one can be sent. Remove one of them.',
    );
  }
  if (payload.kind === 'inline') {
    if (payload.bytes > facts.limit) add(C.payloadTooLarge, keyOf('payload'), tooLarge(payload.bytes));
    return;
  }
  if (payload.kind !== 'file' || invocation.properties.has('payload')) return;
  const node = payload.node;
  if (payload.outside) {
    add(
      C.payloadFileOutsideWorkspace,
      node,
      `${quote(payload.reference)} leads outside the workspace; a payload file must be inside it, so a repository cannot send your other files. Move the file into the workspace.`,
    );
    return;
  }
  const info = payload.info;
  if (!info) {
    add(C.payloadFileMissing, node, 'The payload file path is empty: name a JSON file relative to this file.');
  } else if (info.kind === 'missing') {
    add(
      C.payloadFileMissing,
      node,
      `No file at ${quote(payload.reference)}${payload.resolved ? ` (${payload.resolved})` : ''}. Paths are relative to this file's folder.`,
    );
  } else if (info.kind === 'not-json') {
    add(C.payloadFileNotJson, node, `${quote(payload.reference)} is not valid JSON (${info.detail}); Lambda accepts only JSON payloads.`);
  } else if (info.bytes > facts.limit) {
    add(C.payloadTooLarge, node, tooLarge(info.bytes));
  }
}

function checkClientContext(doc: ParsedDocument, invocation: Invocation, facts: InvocationFacts, add: Add, keyOf: (key: string) => Node): void {
  const property = invocation.properties.get('clientContext');
  const node = property && valueNode(property);
  if (!node) return;
  const limit = `${formatCount(Limits.clientContextBase64Bytes)} bytes`;
  if (facts.invocationType === 'Event') {
    add(
      C.asyncIgnoresClientContext,
      keyOf('clientContext'),
      'Lambda passes the client context to synchronous invocations only: it is ignored for Event. Remove it, or use RequestResponse.',
      DiagnosticSeverity.Warning,
    );
  }
  if (node.type === 'object') {
    const encoded = encodeClientContext(nodeText(doc.text, node));
    if (encoded.length > Limits.clientContextBase64Bytes) {
      add(
        C.clientContextTooLarge,
        keyOf('clientContext'),
        `The client context encodes to ${formatBytes(encoded.length)} of base64; Lambda accepts at most ${limit}. Move large values into the payload.`,
      );
    }
    for (const child of node.children ?? []) {
      const key = keyNode(child);
      if (typeof key.value === 'string' && !CLIENT_CONTEXT_KEYS.includes(key.value)) {
        add(
          C.clientContextUnknownKey,
          key,
          `Lambda's client context has "client", "custom" and "env"; ${quote(key.value)} will not reach context.clientContext. Put your own values under "custom".`,
          DiagnosticSeverity.Warning,
        );
      }
    }
    return;
  }
  if (node.type !== 'string' || typeof node.value !== 'string') return;
  const base64 = node.value;
  if (base64.length > Limits.clientContextBase64Bytes) {
    add(
      C.clientContextTooLarge,
      node,
      `The client context is ${formatBytes(base64.length)} of base64; Lambda accepts at most ${limit}. Move large values into the payload.`,
    );
  }
  const decoded = decodeClientContext(base64);
  if (decoded.ok) {
    for (const key of Object.keys(decoded.value)) {
      if (!CLIENT_CONTEXT_KEYS.includes(key)) {
        add(
          C.clientContextUnknownKey,
          node,
          `The decoded client context has ${quote(key)}; Lambda's client context has "client", "custom" and "env", so it will not reach context.clientContext.`,
          DiagnosticSeverity.Warning,
        );
      }
    }
  } else if (decoded.reason === 'not-base64') {
    add(
      C.clientContextNotBase64,
      node,
      'The client context string is not base64. Write it as an object ({"custom": {…}}) and it is encoded for you, or paste the base64 text.',
    );
  } else {
    const what = decoded.reason === 'not-json' ? 'is not JSON' : 'is JSON but not an object';
    add(
      C.clientContextNotObject,
      node,
      `The client context decodes to ${quote(decoded.text, 60)}, which ${what}; Lambda expects a JSON object with "client", "custom" and "env".`,
    );
  }
}

interface HeaderRule {
  code: DiagnosticCode;
  label: string;
  max: number;
  pattern: RegExp;
  allowed: RegExp;
  allowedText: string;
}

function checkHeaderValue(value: unknown, node: Node | undefined, add: Add, rule: HeaderRule): void {
  if (typeof value !== 'string') return;
  if (value.length === 0) {
    add(rule.code, node, `${rule.label} is empty; it needs 1 to ${rule.max} characters. Remove the property or give it a value.`);
  } else if (value.length > rule.max) {
    add(rule.code, node, `${rule.label} is ${formatCount(value.length)} characters; Lambda allows at most ${rule.max}.`);
  } else if (!rule.pattern.test(value)) {
    add(rule.code, node, `${rule.label} may hold only ${rule.allowedText}.${badCharacter(value, rule.allowed)}`);
  }
}

/** Names the first character a pattern rejects, so the user sees what to change. */
function badCharacter(value: string, allowed: RegExp): string {
  for (const ch of value) {
    if (!allowed.test(ch)) return ` ${JSON.stringify(ch)} is not allowed.`;
  }
  return '';
}

function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `${quote(endpoint)} is not a URL. Write a full http(s) URL such as http://127.0.0.1:3001.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `The endpoint must be an http:// or https:// URL, not ${url.protocol}. For example http://127.0.0.1:3001.`;
  }
  if (url.username || url.password) return 'The endpoint must not carry a user name or password: requests are signed with your AWS credentials.';
  if (url.search || url.hash) return 'The endpoint must not have a query or fragment; give just the scheme, host, port and an optional path.';
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Wording helpers

export function modeText(type: InvocationType): string {
  return InvocationTypeWords[type].phrase;
}

function describeType(type: string): string {
  return type === 'null' ? 'null' : article(type);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** The known word nearest to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}

function distance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
