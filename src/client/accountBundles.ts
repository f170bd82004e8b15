/**
 * The bundles that hold the AWS SDK's own clients, loaded beside dist/extension.js the first
 * time they are needed: dist/catalog.js (the Lambda client: the function catalogue, a function's
 * log location, durable executions) and dist/logs.js (the CloudWatch Logs client: an
 * invocation's whole log). Users who only edit or invoke never parse either.
 */
import type * as Catalog from '../engine/catalog/index';
import type * as Logs from '../engine/logs/index';
import { lazyBundle } from './bundleLoader';
import { CommandError } from './commands/commandError';

export type CatalogModule = typeof Catalog;
export type LogsModule = typeof Logs;

const reinstall = (what: string) => (file: string, reason: string) => new CommandError(`Lambda Invoke could not load its ${what} ${file} (${reason}). Reinstall the extension.`);

export const catalogBundle = lazyBundle<CatalogModule>('catalog.js', reinstall('function catalogue'));
export const logsBundle = lazyBundle<LogsModule>('logs.js', reinstall('CloudWatch Logs client'));
