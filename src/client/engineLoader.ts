/**
 * Loads the invoke engine (dist/engine.js, bundled on its own by scripts/build.mjs) the first
 * time a command needs it. The extension bundle never contains it: the AWS SDK packages it pulls
 * in would otherwise be parsed at every activation, for users who only edit files.
 */
import * as path from 'node:path';
import type * as Engine from '../engine/index';
import { CommandError } from './commands/commandError';

export type EngineModule = typeof Engine;

/** The engine's file, next to dist/extension.js. */
const ENGINE_FILE = 'engine.js';

let engine: EngineModule | undefined;

/** The engine, loaded on first call; throws a CommandError saying what to do if it cannot be loaded. */
export function loadEngine(): EngineModule {
  if (engine === undefined) {
    const file = path.join(__dirname, ENGINE_FILE);
    try {
      // A runtime require of a file outside the bundle is the point: esbuild leaves it alone.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      engine = require(file) as EngineModule;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CommandError(`Lambda Invoke could not load its invoke engine ${file} (${reason}). Reinstall the extension.`);
    }
  }
  return engine;
}

/** The engine if a command loaded it, without loading it. */
export function loadedEngine(): EngineModule | undefined {
  return engine;
}
