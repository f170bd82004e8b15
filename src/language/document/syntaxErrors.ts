/**
 * The invalid-document path: a text JSON.parse rejected goes through jsonc-parser in strict mode,
 * which recovers and reports every error with its position. JSON.parse stays the judge of what
 * Lambda's JSON parser takes; jsonc-parser is only the locator, and each of its error codes is
 * worded here for the user.
 */
import { type Node, type ParseError, getNodeValue, parseTree, printParseErrorCode } from 'jsonc-parser';
import { collectInvocations } from './invocations';
import type { ParsedDocument, SyntaxProblem } from './model';
import { isJsonSpace } from './scanner';

const NO_COMMENTS = 'Comments are not allowed: the file is strict JSON, because the payload is sent exactly as written.';

/** What each of jsonc-parser's error codes means to someone writing the file. */
const SYNTAX_MESSAGES: Readonly<Record<string, string>> = {
  InvalidSymbol: 'Unexpected character.',
  InvalidNumberFormat: 'Not a valid JSON number.',
  PropertyNameExpected: 'Expected a property name in double quotes.',
  ValueExpected: 'Expected a value.',
  ColonExpected: "Expected ':' after the property name.",
  CommaExpected: "Expected ',' between values.",
  CloseBraceExpected: "Expected '}' to close the object.",
  CloseBracketExpected: "Expected ']' to close the array.",
  EndOfFileExpected: 'Expected the end of the file: a file holds one object or one array of objects.',
  InvalidCommentToken: NO_COMMENTS,
  UnexpectedEndOfComment: NO_COMMENTS,
  UnexpectedEndOfString: 'Unterminated string: add the closing double quote.',
  UnexpectedEndOfNumber: 'Unexpected end of number.',
  InvalidUnicode: 'Invalid \\u escape: it needs four hexadecimal digits.',
  InvalidEscapeCharacter: 'Invalid escape: JSON allows \\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX.',
  InvalidCharacter: 'Control characters must be escaped inside strings (\\n, \\t, \\u0000, …).',
};

/** The document of a text JSON.parse rejected; `thrown` is what JSON.parse threw. */
export function parseWithErrors(text: string, thrown: unknown): ParsedDocument {
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  } catch {
    // jsonc-parser recurses per nesting level; thousands of levels exhaust the stack. Report
    // the fault V8 found and go without a tree (no lenses) until the document parses again.
    return { text, root: undefined, syntaxErrors: [fromJsonParseError(text, thrown)], value: undefined, invocations: [], strayElements: [] };
  }
  // jsonc-parser may report one fault twice as it recovers; keep the first word on each spot.
  const seen = new Set<number>();
  const syntaxErrors = errors
    .map((error) => describeSyntaxError(text, error))
    .filter((error) => !seen.has(error.offset) && seen.add(error.offset));
  if (syntaxErrors.length === 0) {
    // JSON.parse is the judge of what Lambda's JSON parser will take; jsonc-parser is only
    // a locator. Should it miss what JSON.parse rejects, use the position V8 reports.
    syntaxErrors.push(fromJsonParseError(text, thrown));
  }
  if (text.trim().length === 0) {
    syntaxErrors.splice(0, syntaxErrors.length, {
      offset: 0,
      length: 0,
      message: 'The file is empty: write an invocation object, such as {"functionName": "my-function"}.',
    });
  }
  const value = root ? safeNodeValue(root) : undefined;
  return { text, root, syntaxErrors, value: undefined, ...collectInvocations(root, value) };
}

function safeNodeValue(root: Node): unknown {
  try {
    return getNodeValue(root);
  } catch {
    return undefined;
  }
}

function describeSyntaxError(text: string, error: ParseError): SyntaxProblem {
  const name = printParseErrorCode(error.error);
  // A trailing comma shows up as a missing name or value before '}' or ']'; say so plainly.
  if (name === 'PropertyNameExpected' || name === 'ValueExpected') {
    const comma = trailingCommaBefore(text, error.offset);
    if (comma !== undefined) {
      return { offset: comma, length: 1, message: "Trailing comma: strict JSON allows none. Remove the ','." };
    }
  }
  const message = SYNTAX_MESSAGES[name] ?? `Invalid JSON (${name}).`;
  return { offset: error.offset, length: Math.max(error.length, 1), message };
}

function trailingCommaBefore(text: string, offset: number): number | undefined {
  const close = text.charCodeAt(offset);
  if (close !== 0x7d && close !== 0x5d) return undefined;
  let i = offset - 1;
  while (i >= 0 && isJsonSpace(text.charCodeAt(i))) i--;
  return text.charCodeAt(i) === 0x2c ? i : undefined;
}

function fromJsonParseError(text: string, thrown: unknown): SyntaxProblem {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const at = /position (\d+)/.exec(message);
  const offset = at ? Math.min(Number(at[1]), text.length) : 0;
  return { offset, length: 1, message: `Invalid JSON: ${message}.` };
}
