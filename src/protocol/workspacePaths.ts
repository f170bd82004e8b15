/**
 * The one answer to "is this path inside that folder", used wherever a file named by a
 * workspace must stay in it: payload files, handler modules of the local endpoint, the CLI's
 * workspace, relative paths in copied commands.
 */
import * as path from 'node:path';

/**
 * True when `file` is `folder` itself or below it. Both are taken as given (resolve symlinks
 * first where that matters). A child whose name merely starts with two dots (`..data`) is
 * inside; only `..` itself, or a path that climbs out through `../`, is not.
 */
export function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  if (relative === '') return true;
  if (path.isAbsolute(relative)) return false;
  return relative !== '..' && !relative.startsWith(`..${path.sep}`);
}

/** `file` relative to `folder` with `/` separators, or undefined when it is not below it. */
export function relativeInside(folder: string, file: string): string | undefined {
  if (!isInside(folder, file)) return undefined;
  const relative = path.relative(folder, file);
  return relative === '' ? undefined : relative.split(path.sep).join('/');
}
