import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SymbolKind } from 'vscode-languageserver-types';
import { documentSymbols } from '../../src/language/symbols';
import { analyze } from './helpers';

const symbolsOf = (text: string) => {
  const a = analyze(text);
  return { symbols: documentSymbols(a.document, a.doc), a };
};

describe('document symbols', () => {
  test('one per invocation of an array file, named by name, then function, then position', () => {
    const text = [
      '[',
      '  {"name": "Create order", "functionName": "orders", "invocationType": "Event"},',
      '  {"functionName": "arn:aws:lambda:us-west-2:123456789012:function:billing"},',
      '  {"payload": {"no": "function"}}',
      ']',
    ].join('\n');
    const { symbols, a } = symbolsOf(text);
    assert.deepEqual(
      symbols.map((s) => [s.name, s.detail]),
      [
        ['Create order', 'orders · Event'],
        ['arn:aws:lambda:us-west-2:123456789012:function:billing', 'RequestResponse'],
        ['invocation #2', 'RequestResponse'],
      ],
    );
    assert.ok(symbols.every((s) => s.kind === SymbolKind.Function));
    // Each range is exactly its element; the selection sits at its start.
    const lines = text.split('\n');
    symbols.forEach((s, i) => {
      assert.equal(a.document.getText(s.range), lines[i + 1]!.trim().replace(/,$/, ''));
      assert.deepEqual(s.selectionRange.start, s.range.start);
      assert.deepEqual(s.range.start, { line: i + 1, character: 2 });
    });
  });

  test('a file holding one object has one symbol covering it', () => {
    const text = '{\n  "functionName": "f"\n}\n';
    const { symbols, a } = symbolsOf(text);
    assert.equal(symbols.length, 1);
    assert.equal(symbols[0]!.name, 'f');
    assert.equal(a.document.getText(symbols[0]!.range), text.trim());
  });

  test('elements that are not objects are skipped; an empty file has none', () => {
    assert.deepEqual(symbolsOf('[1, {"functionName": "g"}, "x"]').symbols.map((s) => s.name), ['g']);
    assert.deepEqual(symbolsOf('').symbols, []);
    assert.deepEqual(symbolsOf('[]').symbols, []);
  });
});
