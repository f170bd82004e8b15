// Types of what TypeScript code (test/unit/importRules.test.ts) uses from scripts/layers.mjs.
export type LayerName = 'protocol' | 'lambda' | 'language' | 'server' | 'engine' | 'local' | 'cli' | 'client';

export interface LayerRule {
  imports: readonly LayerName[];
  typeOnly?: readonly LayerName[];
}

export const LAYERS: Readonly<Record<LayerName, LayerRule>>;

export function layerConfigs(): { files: string[]; rules: Record<string, unknown> }[];
