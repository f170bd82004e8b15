/**
 * Account facts: what the language server may learn about the user's functions without ever
 * holding credentials. The server asks the editor with the custom request below; the extension
 * answers from its function catalogue (src/engine/catalog, which holds the credentials), and an
 * editor that does not implement the request simply gives the server no account features.
 * The CLI uses the same catalogue directly. Every shape here is plain JSON.
 */
import type { TargetOverrides } from './targetOverrides';

/** Custom request, server → client. */
export const AccountFactsRequest = {
  method: 'lambdaInvoke/accountFacts',
} as const;

/**
 * What the client announces in `initializationOptions` when it answers AccountFactsRequest.
 * Without it the server never sends the request.
 */
export interface AccountFactsInitOptions {
  accountFacts?: boolean;
}

/**
 * Where to look, as the invocation itself says: its `region`, `profile` and `endpoint` fields
 * (absent when the file does not name them). The editor lays its own selection, settings and
 * environment below them, exactly as for Invoke, and applies the same endpoint confirmation.
 */
export type FactsTarget = TargetOverrides;

export type AccountFactsParams = (
  /** The catalogue of functions at the target. */
  | { kind: 'functions'; target: FactsTarget }
  /** One function's configuration, aliases and versions (`functionName` as written: name, partial or full ARN, no qualifier). */
  | { kind: 'function'; target: FactsTarget; functionName: string }
) & {
  /** The document asking, when there is one: its folder's settings apply (they are per resource). */
  uri?: string;
};

/** One function of the catalogue, as ListFunctions gives it. */
export interface FunctionSummary {
  name: string;
  arn: string;
  runtime?: string;
  description?: string;
}

export interface AliasFact {
  name: string;
  /** The version the alias points to. */
  version: string;
  description?: string;
}

/** The configuration fields the editor shows and checks (GetFunctionConfiguration). */
export interface FunctionConfigurationFacts {
  name: string;
  arn: string;
  runtime?: string;
  handler?: string;
  description?: string;
  architectures?: string[];
  memoryMb?: number;
  timeoutSeconds?: number;
  ephemeralStorageMb?: number;
  state?: string;
  stateReason?: string;
  lastModified?: string;
  codeSize?: number;
  logGroup?: string;
  logFormat?: string;
  /** `TenancyConfig.TenantIsolationMode` when the function is tenant-isolated. */
  tenancy?: string;
  /** `DurableConfig` when the function is durable. */
  durable?: { executionTimeoutSeconds?: number; retentionPeriodDays?: number };
}

export interface FunctionFacts {
  configuration: FunctionConfigurationFacts;
  aliases: AliasFact[];
  /** Published version numbers, oldest first (without `$LATEST`). */
  versions: string[];
}

/** Why there are no facts; the server shows no account diagnostics then, and says nothing per keystroke. */
export type FactsUnavailableReason =
  /** `lambdaInvoke.accountLookups` is off. */
  | 'off'
  /** The workspace is not trusted. */
  | 'untrusted'
  /** The endpoint still needs the user's confirmation. */
  | 'unconfirmed-endpoint'
  /** No credentials, or they need an interactive sign-in (expired SSO token…): shown once in the status bar. */
  | 'credentials'
  /** The service could not be reached or answered with an error. */
  | 'unreachable';

export type AccountFactsResult =
  | { kind: 'functions'; functions: FunctionSummary[]; truncated?: boolean }
  | { kind: 'function'; facts: FunctionFacts }
  /** The catalogue at the target has no such function (ResourceNotFoundException). */
  | { kind: 'not-found' }
  | { kind: 'unavailable'; reason: FactsUnavailableReason; message?: string };

/** Custom notification, client → server: the catalogue changed (refreshed, or the target changed); ask again. */
export const AccountFactsChangedNotification = {
  method: 'lambdaInvoke/accountFactsChanged',
} as const;
