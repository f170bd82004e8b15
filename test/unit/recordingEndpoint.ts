/**
 * A Lambda stand-in for engine tests: records every request exactly as it arrived (method,
 * raw path and query, headers, body bytes) and answers with whatever the test scripts.
 * Listens on 127.0.0.1 on a free port.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import aws4 from 'aws4';

export interface RecordedRequest {
  method: string;
  /** The request target as sent: path plus query, still encoded. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Never answer (for timeout and cancellation tests). */
  hang?: boolean;
}

export type Responder = (request: RecordedRequest, count: number) => ScriptedResponse;

export class RecordingEndpoint {
  readonly requests: RecordedRequest[] = [];
  private server = http.createServer((req, res) => this.handle(req, res));
  private waiters: ((r: RecordedRequest) => void)[] = [];
  private hanging: http.ServerResponse[] = [];
  responder: Responder = () => ({ status: 200, body: '{}' });

  async start(): Promise<URL> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    return new URL(`http://127.0.0.1:${port}`);
  }

  /** Resolves when the next request has fully arrived. */
  nextRequest(): Promise<RecordedRequest> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      this.requests.push(recorded);
      const answer = this.responder(recorded, this.requests.length);
      for (const waiter of this.waiters.splice(0)) waiter(recorded);
      if (answer.hang) {
        this.hanging.push(res);
        return;
      }
      const body = answer.body === undefined ? Buffer.alloc(0) : Buffer.from(answer.body);
      res.writeHead(answer.status, { 'content-length': String(body.length), 'x-amzn-requestid': `req-${this.requests.length}`, ...answer.headers });
      res.end(body);
    });
  }
}

export const TEST_CREDENTIALS = {
  accessKeyId: 'AKIDTESTEXAMPLE0001',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYTESTSECRET',
  sessionToken: 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN//test==',
};

/**
 * Checks a recorded request's SigV4 signature with the `aws4` package, an implementation
 * independent of the signer under test: re-sign the headers the request says it signed, at
 * the time it says, and compare.
 */
export function verifySignature(request: RecordedRequest, region: string, credentials = TEST_CREDENTIALS): { ok: boolean; expected: string; actual: string } {
  const authorization = String(request.headers.authorization ?? '');
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const actual = /Signature=([0-9a-f]+)/.exec(authorization)?.[1] ?? '';
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(request.headers[name] ?? '');
  const resigned = aws4.sign(
    { method: request.method, host: headers.host, path: request.url, headers, body: request.body, service: 'lambda', region },
    // The session token is already among the signed headers; aws4 must not add it a second time.
    { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String((resigned.headers as Record<string, string>).Authorization))?.[1] ?? '';
  return { ok: expected !== '' && expected === actual, expected, actual };
}
