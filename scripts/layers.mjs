// The architecture as data: which folder of src/ may import which. eslint.config.mjs turns it
// into `no-restricted-imports` rules per folder, so `npm run lint` fails on a wrong arrow, and
// test/unit/importRules.test.ts proves that it does and that the graph has no cycle.

/**
 * Each layer and the layers it may import. `protocol` and `lambda` are the leaves: ids and
 * Lambda facts that any side may use. `typeOnly` layers may be imported with `import type` only
 * (the extension names the engine's types; the engine itself loads lazily from dist/engine.js).
 */
export const LAYERS = {
  protocol: { imports: [] },
  lambda: { imports: [] },
  language: { imports: ['lambda', 'protocol'] },
  server: { imports: ['language', 'lambda', 'protocol'] },
  engine: { imports: ['language', 'lambda', 'protocol'] },
  // An independent fake of the service: it never reuses the engine or the language service.
  local: { imports: ['lambda', 'protocol'] },
  cli: { imports: ['engine', 'local', 'language', 'lambda', 'protocol'] },
  client: { imports: ['protocol', 'lambda'], typeOnly: ['engine'] },
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A relative import that climbs into `layer` from anywhere below src/. */
function into(layer) {
  return `^(?:\\.\\./)+${escape(layer)}(?:/|$)`;
}

/** One flat-config block per layer: the imports it may not make, with the rule in the message. */
export function layerConfigs() {
  const names = Object.keys(LAYERS);
  return names.map((layer) => {
    const { imports, typeOnly = [] } = LAYERS[layer];
    const allowed = [layer, ...imports, ...typeOnly];
    const says = `src/${layer} may import ${[...imports, ...typeOnly.map((t) => `${t} (types only)`)].join(', ') || 'no other folder of src'} (see scripts/layers.mjs).`;
    const patterns = names
      .filter((other) => !allowed.includes(other))
      .map((other) => ({ regex: into(other), message: `src/${layer} must not import src/${other}: ${says}` }));
    for (const other of typeOnly) {
      patterns.push({ regex: into(other), allowTypeImports: true, message: `src/${layer} may import src/${other} with \`import type\` only: ${says}` });
    }
    const paths = layer === 'client' ? [] : [{ name: 'vscode', message: `Only src/client runs in the extension host; src/${layer} must not import vscode.` }];
    return {
      files: [`src/${layer}/**/*.ts`],
      rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] },
    };
  });
}
