/**
 * Node entry of the language server. `node dist/server.js --stdio` speaks LSP over stdio for
 * any editor; VS Code starts it with --node-ipc. createConnection picks the transport from argv.
 * What concerns the whole process (console output, stray errors) is set up here, not in
 * startServer, which serves one connection and may share its process (tests start it in theirs).
 */
import { type Connection, ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { NodePayloadFileReader } from './payloadFileReader';
import { formatError } from './runner';
import { startServer } from './server';

const connection = createConnection(ProposedFeatures.all);
routeProcessOutput(connection);
startServer(connection, new NodePayloadFileReader());

/** stdout is the protocol channel under --stdio: console.* and uncaught errors go to the client's log. */
function routeProcessOutput(to: Connection): void {
  console.log = (...args: unknown[]) => to.console.log(args.map(String).join(' '));
  console.info = (...args: unknown[]) => to.console.info(args.map(String).join(' '));
  console.warn = (...args: unknown[]) => to.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => to.console.error(args.map(String).join(' '));
  process.on('unhandledRejection', (reason) => to.console.error(formatError('Unhandled rejection', reason)));
  process.on('uncaughtException', (error) => to.console.error(formatError('Uncaught exception', error)));
}
