/**
 * The parsed document, as the rest of the language service, the server and the engine see it:
 * parse a text, reparse it after edits, and read its nodes. The modules beside this one are how
 * it is built; import from here.
 */
export { type Invocation, type ParsedDocument, type SyntaxProblem, type TextChange, keyNode, nodeText, nodeUtf8Length, valueNode } from './model';
export { parseDocument } from './parse';
export { reparseDocument } from './reparse';
