/**
 * The architecture holds: `npm run lint` fails on an import that breaks the layer rules of
 * scripts/layers.mjs (each forbidden arrow tried, through ESLint with the project's own
 * config), the allowed arrows pass, and the folders of src/ import each other without a cycle
 * (read from the real source files).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ESLint } from 'eslint';
import type { LayerName, LayerRule } from '../../scripts/layers.mjs' with { 'resolution-mode': 'import' };

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');
type Layer = LayerName;
/** scripts/layers.mjs is an ES module (eslint.config.mjs imports it): loaded the way CommonJS can. */
const rules = import('../../scripts/layers.mjs') as Promise<{ LAYERS: Readonly<Record<Layer, LayerRule>> }>;
const layers: Layer[] = ['protocol', 'lambda', 'language', 'server', 'engine', 'local', 'cli', 'client'];

const eslint = new ESLint({ cwd: ROOT });

/** Lints `source` as if it were a file of `layer`, with the project's eslint.config.mjs. */
async function restrictedImports(layer: Layer, source: string): Promise<string[]> {
  // A real file, so the type-aware config can place it in the project; removed at once.
  const file = path.join(SRC, layer, `zzImportRuleProbe${process.pid}.ts`);
  fs.writeFileSync(file, source);
  try {
    const [result] = await eslint.lintFiles([file]);
    return (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports').map((m) => m.message);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/** A module of `target` that exists, as a relative specifier from a file directly in src/<layer>. */
function someModuleOf(target: Layer): string {
  const file = fs.readdirSync(path.join(SRC, target)).find((f) => f.endsWith('.ts'));
  assert.ok(file, `src/${target} has a .ts file`);
  return `../${target}/${file.replace(/\.ts$/, '')}`;
}

describe('import rules (scripts/layers.mjs, enforced by npm run lint)', async () => {
  const { LAYERS } = await rules;
  test('the layers tested are the layers declared', () => assert.deepEqual(Object.keys(LAYERS).sort(), [...layers].sort()));
  for (const layer of layers) {
    const { imports, typeOnly = [] } = LAYERS[layer];
    const forbidden = layers.filter((other) => other !== layer && !imports.includes(other) && !typeOnly.includes(other));
    test(`src/${layer}: every forbidden folder is refused by lint (${forbidden.join(', ') || 'none'}), every allowed one passes`, async () => {
      for (const other of forbidden) {
        const messages = await restrictedImports(layer, `import * as m from '${someModuleOf(other)}';\nexport const probe = m;\n`);
        assert.equal(messages.length, 1, `src/${layer} importing src/${other} should fail lint`);
        assert.match(messages[0]!, new RegExp(`src/${layer} must not import src/${other}`));
      }
      for (const other of imports) {
        const messages = await restrictedImports(layer, `import * as m from '${someModuleOf(other)}';\nexport const probe = m;\n`);
        assert.deepEqual(messages, [], `src/${layer} may import src/${other}`);
      }
      for (const other of typeOnly) {
        const specifier = someModuleOf(other);
        assert.deepEqual(await restrictedImports(layer, `import type * as m from '${specifier}';\nexport type Probe = typeof m;\n`), []);
        const value = await restrictedImports(layer, `import * as m from '${specifier}';\nexport const probe = m;\n`);
        assert.equal(value.length, 1, `src/${layer} may import src/${other} for types only`);
        assert.match(value[0]!, /with `import type` only/);
      }
    });
  }

  test('only src/client imports vscode', async () => {
    const messages = await restrictedImports('engine', `import * as vscode from 'vscode';\nexport const probe = vscode;\n`);
    assert.equal(messages.length, 1);
    assert.match(messages[0]!, /src\/engine must not import vscode/);
  });
});

describe('the folders of src/ as they are', () => {
  /** Every relative import of every source file, as folder → folder arrows. */
  function arrows(): Map<Layer, Set<Layer>> {
    const graph = new Map<Layer, Set<Layer>>(layers.map((l) => [l, new Set<Layer>()]));
    const walk = (dir: string): string[] =>
      fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    for (const layer of layers) {
      for (const file of walk(path.join(SRC, layer))) {
        const text = fs.readFileSync(file, 'utf8');
        for (const match of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
          const target = path.relative(SRC, path.resolve(path.dirname(file), match[1]!)).split(path.sep)[0] as Layer;
          if (target !== layer && layers.includes(target)) graph.get(layer)!.add(target);
        }
      }
    }
    return graph;
  }

  test('no import cycle between folders', () => {
    const graph = arrows();
    const state = new Map<Layer, 'visiting' | 'done'>();
    const visit = (layer: Layer, trail: Layer[]): void => {
      if (state.get(layer) === 'done') return;
      assert.notEqual(state.get(layer), 'visiting', `import cycle: ${[...trail, layer].join(' → ')}`);
      state.set(layer, 'visiting');
      for (const next of graph.get(layer)!) visit(next, [...trail, layer]);
      state.set(layer, 'done');
    };
    for (const layer of layers) visit(layer, []);
  });

  test('nothing imports src/client or src/cli', () => {
    for (const [from, to] of arrows()) {
      assert.ok(!to.has('client') && !to.has('cli'), `src/${from} imports ${[...to].filter((t) => t === 'client' || t === 'cli').join(', ')}`);
    }
  });
});
