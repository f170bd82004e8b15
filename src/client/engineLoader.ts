/**
 * The invoke engine (dist/engine.js, bundled on its own by scripts/build.mjs), loaded the first
 * time a command needs it. The extension bundle never contains it: the AWS SDK packages it pulls
 * in would otherwise be parsed at every activation.
 */
import type * as Engine from '../engine/index';
import { lazyBundle } from './bundleLoader';
import { CommandError } from './commands/commandError';

export type EngineModule = typeof Engine;

const engine = lazyBundle<EngineModule>(
  'engine.js',
  (file, reason) => new CommandError(`Lambda Invoke could not load its invoke engine ${file} (${reason}). Reinstall the extension.`),
);

/** The engine, loaded on first call; throws a CommandError saying what to do if it cannot be loaded. */
export function loadEngine(): EngineModule {
  return engine.load();
}

/** The engine if a command loaded it, without loading it. */
export function loadedEngine(): EngineModule | undefined {
  return engine.loaded();
}
