/**
 * package.json itself, for the language server and the CLI: their version and the command
 * titles. esbuild keeps only the top-level keys named here. The extension does not import this
 * module (its bundle stays small); it reads `context.extension.packageJSON` instead.
 */
import { contributes, version } from '../../package.json';
import { commandTitles } from './manifest';

export const PACKAGE_VERSION: string = version;
export const COMMAND_TITLES = commandTitles({ contributes });
