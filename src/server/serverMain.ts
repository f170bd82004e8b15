/**
 * Node entry of the language server. `node dist/server.js --stdio` speaks LSP over stdio for
 * any editor; VS Code starts it with --node-ipc. createConnection picks the transport from argv.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { NodePayloadFileReader } from './payloadFileReader';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all), new NodePayloadFileReader());
