/**
 * The language server built in this process: the real startServer (src/server/server.ts) on a
 * connection over two in-memory streams, with the client of lspClient.ts on their other ends and
 * only the client features a test asks for. No process to spawn and no bundle to build, so most
 * language server tests and the fuzz test run here; lspHarness.ts proves the real entry point.
 *
 *   const server = await buildServer({ configuration: { region: 'eu-west-1' }, workspaceFolders: [dir] });
 *
 * Several servers may share the process: startServer sets up nothing process-wide. What ends the
 * server process (the exit notification, a closed stream) is kept from this one: it would end
 * the test run.
 */
import { PassThrough } from 'node:stream';
import { type Connection, ProposedFeatures, StreamMessageReader, StreamMessageWriter, createConnection } from 'vscode-languageserver/node';
import { NodePayloadFileReader } from '../../src/server/payloadFileReader';
import { startServer } from '../../src/server/server';
import { LspClient, type ServerSetup } from './lspClient';

export interface InProcessSetup extends ServerSetup {
  /** The payload-file reader the server reads with (default: the one serverMain.ts gives it). */
  files?: Parameters<typeof startServer>[1];
}

/** Starts a server in this process and initializes it as the setup asks. */
export async function buildServer(setup: InProcessSetup = {}): Promise<InProcessServer> {
  const server = new InProcessServer(setup);
  try {
    // No process id: the server would otherwise poll it with a timer that keeps this process alive.
    return await server.start(null);
  } catch (error) {
    await server.close();
    throw server.withReport(error);
  }
}

export class InProcessServer extends LspClient {
  private readonly toServer: PassThrough;
  private readonly toClient: PassThrough;
  private readonly serverConnection: Connection;
  private closed = false;

  constructor(setup: InProcessSetup) {
    const toServer = new PassThrough();
    const toClient = new PassThrough();
    super(new StreamMessageReader(toClient), new StreamMessageWriter(toServer), setup);
    this.toServer = toServer;
    this.toClient = toClient;
    toClient.on('data', (chunk: Buffer) => this.recordWritten(chunk));
    // Message readers and writers, not raw streams: given a stream, createConnection would end
    // the process when the stream closes.
    this.serverConnection = createConnection(ProposedFeatures.all, new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
    // The exit notification would end this process; no test may send it to a server in it.
    this.serverConnection.onExit(() => undefined);
    startServer(this.serverConnection, setup.files ?? new NodePayloadFileReader());
  }

  /**
   * Shuts the server down and disconnects it. The shutdown answer comes after everything sent
   * before it has been handled (validations included), so no work of the server is left to run on
   * a disposed connection.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.shutdown();
    } catch {
      // The server is broken or the test already failed: disconnect it all the same.
    }
    this.dropWaiters();
    this.ended('closed by the test');
    this.connection.dispose();
    this.serverConnection.dispose();
    this.toServer.end();
    this.toClient.end();
  }

  protected transportReport(): string[] {
    return [`--- server in this process: ${this.closed ? 'closed' : 'running'} ---`];
  }
}
