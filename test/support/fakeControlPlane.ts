/**
 * A stand-in for Lambda's control plane in tests of the function catalogue: answers
 * ListFunctions, GetFunctionConfiguration, ListAliases and ListVersionsByFunction (the REST paths
 * of API version 2015-03-31) with the service's JSON shapes and Marker/NextMarker pagination, for
 * the functions a test declares, each in its region (a request sees the functions of the region
 * it is signed for). It records every request, and can be told to hold its answers until
 * released or to fail with a given status and error type. Listens on 127.0.0.1, on a free port.
 * It is independent of the built-in local endpoint (src/local), which it must not depend on.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_ACCOUNT = '123456789012';
/** The region of a declared function that names none. */
export const FAKE_REGION = 'us-west-2';
/** The most items a page holds, as the service caps MaxItems. */
const MAX_PAGE = 50;

export interface FakeFunction {
  name: string;
  region?: string;
  /** More fields of GetFunctionConfiguration's answer (`Runtime`, `LoggingConfig`, …), as the service spells them. */
  configuration?: Record<string, unknown>;
  aliases?: { Name: string; FunctionVersion: string; Description?: string }[];
  /** Published version numbers (`$LATEST` is always listed too). */
  versions?: string[];
}

export type ControlPlaneOperation = 'ListFunctions' | 'GetFunctionConfiguration' | 'ListAliases' | 'ListVersionsByFunction' | 'Unknown';

export interface ControlPlaneRequest {
  operation: ControlPlaneOperation;
  method: string;
  /** The path as sent, still encoded. */
  path: string;
  query: URLSearchParams;
  /** The function named in the path, decoded. */
  functionName?: string;
  /** The region of the signature's credential scope. */
  region?: string;
  authorization?: string;
}

export interface FailureAnswer {
  status: number;
  errorType: string;
  message?: string;
}

/** `arn:aws:lambda:REGION:ACCOUNT:function:NAME` of a declared function. */
export function fakeArn(fn: FakeFunction): string {
  return `arn:aws:lambda:${fn.region ?? FAKE_REGION}:${FAKE_ACCOUNT}:function:${fn.name}`;
}

/** `count` functions named `prefix-0000`…, for the tests of long lists. */
export function manyFunctions(count: number, prefix = 'fn'): FakeFunction[] {
  return Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${String(i).padStart(4, '0')}`, configuration: { Runtime: 'nodejs22.x', Description: `function ${i}` } }));
}

/** The operation a request is for, and the function its path names. */
const ROUTES: readonly (readonly [pattern: RegExp, operation: ControlPlaneOperation])[] = [
  [/^\/2015-03-31\/functions\/?$/, 'ListFunctions'],
  [/^\/2015-03-31\/functions\/([^/]+)\/configuration$/, 'GetFunctionConfiguration'],
  [/^\/2015-03-31\/functions\/([^/]+)\/aliases$/, 'ListAliases'],
  [/^\/2015-03-31\/functions\/([^/]+)\/versions$/, 'ListVersionsByFunction'],
];

interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export class FakeControlPlane {
  readonly requests: ControlPlaneRequest[] = [];
  /** The functions the service holds; tests may change it between requests. */
  functions: FakeFunction[];
  private failure: FailureAnswer | undefined;
  private holding = false;
  private held: (() => void)[] = [];
  private arrivals: { count: number; resolve: () => void }[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));
  private address: URL | undefined;

  private constructor(functions: FakeFunction[]) {
    this.functions = functions;
  }

  static async start(functions: FakeFunction[] = []): Promise<FakeControlPlane> {
    const plane = new FakeControlPlane(functions);
    await new Promise<void>((resolve, reject) => {
      plane.server.once('error', reject);
      plane.server.listen(0, '127.0.0.1', () => resolve());
    });
    plane.address = new URL(`http://127.0.0.1:${(plane.server.address() as AddressInfo).port}`);
    return plane;
  }

  get url(): URL {
    if (this.address === undefined) throw new Error('The fake control plane is not listening.');
    return this.address;
  }

  /** The requests for one operation. */
  of(operation: ControlPlaneOperation): ControlPlaneRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  /** Resolves once `count` requests in all have arrived (at once if they have). */
  arrived(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.push({ count, resolve }));
  }

  /** From now on, requests wait for `release()`. */
  hold(): void {
    this.holding = true;
  }

  /** Answers every request held, and holds no more. */
  release(): void {
    this.holding = false;
    for (const answer of this.held.splice(0)) answer();
  }

  /** Every request fails with this answer until `failWith(undefined)`. */
  failWith(failure: FailureAnswer | undefined): void {
    this.failure = failure;
  }

  /** Forgets the requests seen so far. */
  reset(): void {
    this.requests.length = 0;
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    req.resume();
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const route = ROUTES.map(([pattern, operation]) => ({ operation, match: pattern.exec(url.pathname) })).find((r) => r.match !== null);
      const authorization = req.headers.authorization;
      const request: ControlPlaneRequest = {
        operation: route?.operation ?? 'Unknown',
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        functionName: route?.match?.[1] !== undefined ? decodeURIComponent(route.match[1]) : undefined,
        region: /Credential=[^/]+\/\d+\/([^/]+)\//.exec(authorization ?? '')?.[1],
        authorization,
      };
      this.requests.push(request);
      // Computed now: what the service held when the request arrived.
      const answer = this.answer(request);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, { 'content-type': 'application/json', 'x-amzn-requestid': `req-${this.requests.length}`, ...answer.headers });
        res.end(JSON.stringify(answer.body));
      };
      if (this.holding) this.held.push(send);
      else send();
      for (const waiter of this.arrivals.filter((w) => this.requests.length >= w.count)) {
        this.arrivals.splice(this.arrivals.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
  }

  private answer(request: ControlPlaneRequest): Answer {
    if (this.failure !== undefined) return error(this.failure);
    if (request.method !== 'GET' || request.operation === 'Unknown') {
      return error({ status: 404, errorType: 'UnknownOperationException', message: `No such operation: ${request.method} ${request.path}` });
    }
    const inRegion = this.functions.filter((fn) => (fn.region ?? FAKE_REGION) === request.region);
    if (request.operation === 'ListFunctions') {
      const page = paged(inRegion, request.query);
      return { status: 200, body: { Functions: page.items.map(configurationOf), NextMarker: page.nextMarker } };
    }
    const wanted = request.functionName ?? '';
    const fn = inRegion.find((f) => f.name === wanted || fakeArn(f) === wanted || fakeArn(f).endsWith(`:${FAKE_ACCOUNT}:function:${wanted}`) || wanted === `${FAKE_ACCOUNT}:function:${f.name}`);
    if (fn === undefined) {
      return error({ status: 404, errorType: 'ResourceNotFoundException', message: `Function not found: arn:aws:lambda:${request.region ?? ''}:${FAKE_ACCOUNT}:function:${wanted}` });
    }
    if (request.operation === 'GetFunctionConfiguration') return { status: 200, body: configurationOf(fn) };
    if (request.operation === 'ListAliases') {
      const page = paged(fn.aliases ?? [], request.query);
      return { status: 200, body: { Aliases: page.items.map((a) => ({ AliasArn: `${fakeArn(fn)}:${a.Name}`, ...a })), NextMarker: page.nextMarker } };
    }
    const versions = ['$LATEST', ...(fn.versions ?? [])].map((Version) => ({ ...configurationOf(fn), FunctionArn: `${fakeArn(fn)}:${Version}`, Version }));
    const page = paged(versions, request.query);
    return { status: 200, body: { Versions: page.items, NextMarker: page.nextMarker } };
  }
}

/** GetFunctionConfiguration's answer for a declared function. */
function configurationOf(fn: FakeFunction): Record<string, unknown> {
  return {
    FunctionName: fn.name,
    FunctionArn: fakeArn(fn),
    Runtime: 'nodejs22.x',
    Handler: 'index.handler',
    Role: `arn:aws:iam::${FAKE_ACCOUNT}:role/${fn.name}-role`,
    CodeSize: 1024,
    Description: '',
    Timeout: 3,
    MemorySize: 128,
    LastModified: '2025-01-01T00:00:00.000+0000',
    Version: '$LATEST',
    State: 'Active',
    PackageType: 'Zip',
    Architectures: ['x86_64'],
    EphemeralStorage: { Size: 512 },
    ...fn.configuration,
  };
}

/** One page by Marker (an offset, opaque to the client) and MaxItems, capped as the service caps it. */
function paged<T>(items: readonly T[], query: URLSearchParams): { items: T[]; nextMarker?: string } {
  const start = query.has('Marker') ? Number(Buffer.from(query.get('Marker') ?? '', 'base64url').toString('utf8')) : 0;
  const size = Math.min(Number(query.get('MaxItems') ?? MAX_PAGE) || MAX_PAGE, MAX_PAGE);
  const end = start + size;
  return { items: items.slice(start, end), nextMarker: end < items.length ? Buffer.from(String(end), 'utf8').toString('base64url') : undefined };
}

function error({ status, errorType, message }: FailureAnswer): Answer {
  return { status, headers: { 'x-amzn-errortype': errorType }, body: { Type: 'User', message: message ?? errorType } };
}
