/**
 * Hovers: each field's description from the schema, and what the field works out to —
 * the parts of a function name, a payload's exact bytes against its limit, a client
 * context decoded and its encoded length.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { type Hover, MarkupKind } from 'vscode-languageserver-types';
import { decodeClientContext, encodeClientContext } from '../lambda/clientContext';
import { formatBytes, formatCount, formatSize } from '../lambda/format';
import { parseFunctionName } from '../lambda/functionName';
import { type ParsedDocument, nodeText, valueNode } from './document';
import { type ValidationContext, invocationFacts } from './invocationFacts';
import { Limits } from '../lambda/limits';
import { propertyAt, stringValue } from './navigation';
import { propertySchema } from './schema';
import { modeText } from './wording';

export function hover(document: TextDocument, doc: ParsedDocument, offset: number, ctx: ValidationContext): Hover | null {
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
