/**
 * Hovers: each field's description from the schema, and what the field works out to —
 * the parts of a function name, a payload's exact bytes against its limit, a client
 * context decoded and its encoded length. When the account's facts about the function are known,
 * the function name's hover also shows its configuration, aliases and versions.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Hover, MarkupKind } from 'vscode-languageserver-types';
import type { FunctionFacts } from '../protocol/accountFacts';
import { decodeClientContext, encodeClientContext } from '../lambda/clientContext';
import { formatBytes, formatCount, formatSize } from '../lambda/format';
import { parseFunctionName } from '../lambda/functionName';
import { type AccountFactsLookup, knownFunction } from './account';
import { accountSubject } from './accountSubject';
import { type Invocation, type ParsedDocument, nodeText, valueNode } from './document';
import { type ValidationContext, invocationFacts } from './invocationFacts';
import { Limits } from '../lambda/limits';
import { propertyAt, stringValue } from './navigation';
import { propertySchema } from './schema';
import { formatSeconds, listText, modeText } from './wording';

export function hover(document: TextDocument, doc: ParsedDocument, offset: number, ctx: ValidationContext, facts?: AccountFactsLookup): Hover | null {
  const at = propertyAt(doc, offset);
  if (!at) return null;
  const schema = propertySchema(at.key);
  const sections: string[] = [];
  if (!at.onKey && schema?.enum && typeof at.node.value === 'string') {
    const i = schema.enum.indexOf(at.node.value);
    if (i >= 0 && schema.enumDescriptions?.[i]) sections.push(`**${at.node.value}**: ${schema.enumDescriptions[i]}`);
  }
  if (schema?.description) sections.push(schema.description);
  const extra = details(doc, at.key, at.invocation, ctx);
  if (extra) sections.push(extra);
  const configuration = at.key === 'functionName' && facts ? configurationOf(doc, at.invocation, facts) : undefined;
  if (configuration) sections.push(configuration);
  if (sections.length === 0) return null;
  const target = at.onKey ? at.property.children![0]! : at.node;
  return {
    contents: { kind: MarkupKind.Markdown, value: sections.join('\n\n---\n\n') },
    range: { start: document.positionAt(target.offset), end: document.positionAt(target.offset + target.length) },
  };
}

function details(doc: ParsedDocument, key: string, invocation: Parameters<typeof invocationFacts>[1], ctx: ValidationContext): string | undefined {
  switch (key) {
    case 'functionName': {
      const value = stringValue(invocation, key);
      const parts = value !== undefined ? parseFunctionName(value) : undefined;
      if (!parts) return undefined;
      const rows: [string, string | undefined][] = [
        ['Form', parts.form],
        ['Partition', parts.partition],
        ['Region', parts.region],
        ['Account', parts.account],
        ['Name', parts.name],
        ['Qualifier', parts.qualifier],
      ];
      return ['| Part | Value |', '|---|---|', ...rows.filter(([, v]) => v !== undefined).map(([k, v]) => `| ${k} | \`${v}\` |`)].join('\n');
    }
    case 'payload':
    case 'payloadFile': {
      const facts = invocationFacts(doc, invocation, ctx);
      const p = facts.payload;
      const limitText = `the limit for ${modeText(facts.invocationType)} is ${formatBytes(facts.limit)} (${formatSize(facts.limit)})`;
      let bytes: number | undefined;
      if (p.kind === 'inline') bytes = p.bytes;
      else if (p.kind === 'file' && p.info && p.info.kind !== 'missing') bytes = p.info.bytes;
      if (bytes === undefined) return `No payload bytes to count yet; ${limitText}.`;
      if (bytes > facts.limit) {
        return `**${formatBytes(bytes)}**: ${formatBytes(bytes - facts.limit)} over the limit; ${limitText}.`;
      }
      const percent = Math.floor((bytes / facts.limit) * 1000) / 10;
      return `**${formatBytes(bytes)}** (${formatSize(bytes)}, ${percent}% of the limit); ${limitText}.`;
    }
    case 'clientContext': {
      const property = invocation.properties.get(key);
      const node = property && valueNode(property);
      if (!node) return undefined;
      if (node.type === 'object') {
        const encoded = encodeClientContext(nodeText(doc.text, node));
        return `Encoded: **${formatCount(encoded.length)}** of ${formatCount(Limits.clientContextBase64Bytes)} bytes of base64.\n\n\`\`\`text\n${encoded}\n\`\`\``;
      }
      if (typeof node.value !== 'string') return undefined;
      const decoded = decodeClientContext(node.value);
      const length = `Encoded: **${formatCount(node.value.length)}** of ${formatCount(Limits.clientContextBase64Bytes)} bytes of base64.`;
      if (!decoded.ok) return length;
      return `${length}\n\nDecoded:\n\n\`\`\`json\n${JSON.stringify(decoded.value, null, 2)}\n\`\`\``;
    }
    default:
      return undefined;
  }
}

/** A table cell: a value of the account's may hold `|` or a line break, which would end the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s*[\r\n]+\s*/g, ' ');
}

/** A value shown as code: `nodejs22.x`. */
function code(text: string | undefined): string | undefined {
  return text ? `\`${text.replace(/`/g, "'")}\`` : undefined;
}

function megabytes(mb: number | undefined): string | undefined {
  return mb === undefined ? undefined : `${formatCount(mb)} MB`;
}

/** The rows of a function's configuration, in the order the hover shows them; a row without a value is left out. */
const CONFIGURATION_ROWS: readonly [label: string, value: (facts: FunctionFacts) => string | undefined][] = [
  ['Description', ({ configuration: c }) => c.description || undefined],
  ['Runtime', ({ configuration: c }) => code(c.runtime)],
  ['Handler', ({ configuration: c }) => code(c.handler)],
  ['Architecture', ({ configuration: c }) => c.architectures?.join(', ') || undefined],
  ['Memory', ({ configuration: c }) => megabytes(c.memoryMb)],
  ['Timeout', ({ configuration: c }) => (c.timeoutSeconds === undefined ? undefined : formatSeconds(c.timeoutSeconds))],
  ['Ephemeral storage', ({ configuration: c }) => megabytes(c.ephemeralStorageMb)],
  ['State', ({ configuration: c }) => (c.state ? `${c.state}${c.stateReason ? `: ${c.stateReason}` : ''}` : undefined)],
  ['Last modified', ({ configuration: c }) => c.lastModified],
  ['Code size', ({ configuration: c }) => (c.codeSize === undefined ? undefined : `${formatSize(c.codeSize)} (${formatBytes(c.codeSize)})`)],
  ['Log group', ({ configuration: c }) => code(c.logGroup)],
  ['Log format', ({ configuration: c }) => c.logFormat],
  ['Tenancy', ({ configuration: c }) => (c.tenancy ? `tenant isolation, ${c.tenancy}` : undefined)],
  ['Durable', ({ configuration: c }) => c.durable && durableText(c.durable)],
  ['Aliases', ({ aliases }) => (aliases.length > 0 ? aliases.map((a) => `${code(a.name)} → ${a.version}`).join(', ') : undefined)],
  ['Versions', ({ versions }) => (versions.length > 0 ? listText([...versions].reverse(), 12) : undefined)],
];

function durableText(durable: NonNullable<FunctionFacts['configuration']['durable']>): string {
  const parts = [
    durable.executionTimeoutSeconds === undefined ? undefined : `executions time out after ${formatSeconds(durable.executionTimeoutSeconds)}`,
    durable.retentionPeriodDays === undefined ? undefined : `history kept ${formatSeconds(durable.retentionPeriodDays * 86_400)}`,
  ].filter((part) => part !== undefined);
  return parts.length > 0 ? `yes: ${parts.join(', ')}` : 'yes';
}

/** The function's configuration as the account gave it (that of $LATEST), when it is known. */
function configurationOf(doc: ParsedDocument, invocation: Invocation, facts: AccountFactsLookup): string | undefined {
  const subject = accountSubject(doc, invocation);
  const known = subject && knownFunction(facts, subject.target, subject.functionName);
  if (known === undefined || known === 'not-found') return undefined;
  const rows = CONFIGURATION_ROWS.flatMap(([label, value]) => {
    const text = value(known);
    return text === undefined ? [] : [`| ${label} | ${cell(text)} |`];
  });
  return [`**${cell(known.configuration.name)}** (\`$LATEST\`)`, '', '| Setting | Value |', '|---|---|', ...rows].join('\n');
}
