/**
 * The local endpoint's functions, declared in `DIR/lambda-invoke.local.json`: read, checked
 * against schemas/lambda-invoke.local.schema.json with ajv, then against what a schema cannot
 * say (an alias points at a declared version; a handler file stays inside DIR). Every problem
 * names the file, the place in it and what to change. Besides what runs a handler, a function
 * carries what the control plane reports about it (description, runtime), the settings that
 * change how Lambda accepts an invocation (tenant isolation, durable execution), and where and
 * how its log is written (log group, Text or JSON format).
 * `parseLocalConfig` is pure (text in, config or problems out); `loadLocalConfig` adds the file
 * system checks.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseJson, printParseErrorCode, type ParseError } from 'jsonc-parser';
import schemaJson from '../../../schemas/lambda-invoke.local.schema.json';
import { LocalEndpointDefaults } from '../../protocol/ids';
import { isInside } from '../../protocol/workspacePaths';

export const CONFIG_FILE_NAME = LocalEndpointDefaults.configFileName;
export const DEFAULT_TIMEOUT_SECONDS = 3;
export const DEFAULT_MEMORY_MB = 128;
export const LATEST = '$LATEST';
/**
 * The runtime a function reports when it declares none: the Lambda runtime named after the
 * Node.js that runs the handlers, so what the control plane says is what actually runs.
 */
export const DEFAULT_RUNTIME = `nodejs${process.versions.node.split('.')[0]}.x`;
/** Lambda keeps a durable execution's history this many days when the function does not say. */
export const DEFAULT_DURABLE_RETENTION_DAYS = 14;

/** How Lambda writes a function's log lines (LoggingConfig.LogFormat): plain text, or one JSON object a line. */
export type LogFormat = 'Text' | 'JSON';
export const DEFAULT_LOG_FORMAT: LogFormat = 'Text';

/** Where a function's log goes and in which format, as Lambda's LoggingConfig has it. */
export interface LoggingSettings {
  readonly format: LogFormat;
  /** `/aws/lambda/<name>` unless the function names another group. */
  readonly group: string;
}

/** The log group Lambda uses for a function that names none. */
export function defaultLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}

/** Lambda's one tenant isolation mode (TenancyConfig.TenantIsolationMode). */
export type TenantIsolationMode = 'PER_TENANT';

/** A durable function's settings, as Lambda's DurableConfig has them. */
export interface DurableSettings {
  readonly executionTimeoutSeconds: number;
  readonly retentionPeriodDays: number;
}

/** A handler as written (`functions/hello.handler`), split into the file and the export. */
export interface HandlerRef {
  readonly text: string;
  /** Relative to DIR, `/`-separated, as written (extension included only if it was written). */
  readonly modulePath: string;
  readonly hasExtension: boolean;
  /** `handler`, or `handlers.hello` → `['handlers', 'hello']`. */
  readonly exportPath: readonly string[];
}

/** Everything needed to run one version of a function. */
export interface FunctionVersionConfig {
  readonly functionName: string;
  /** `$LATEST` or a version number. */
  readonly version: string;
  readonly handler: HandlerRef;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly environment: Readonly<Record<string, string>>;
  /** `""` when none was written, as Lambda reports it. */
  readonly description: string;
  /** A Lambda Node.js runtime identifier (`nodejs20.x`). */
  readonly runtime: string;
  /** The function's logging settings; every version shares them. */
  readonly logging: LoggingSettings;
}

export interface LocalFunctionConfig {
  readonly name: string;
  readonly latest: FunctionVersionConfig;
  readonly versions: ReadonlyMap<string, FunctionVersionConfig>;
  /** Alias name → version (`$LATEST` or a key of `versions`). */
  readonly aliases: ReadonlyMap<string, string>;
  /** Set when every invocation must name a tenant; like Lambda's, it holds for all versions. */
  readonly tenancy?: TenantIsolationMode;
  /** Set for a durable function, which Lambda invokes only through a qualifier. */
  readonly durable?: DurableSettings;
}

export interface LocalConfig {
  /** The configuration file's absolute path. */
  readonly file: string;
  /** DIR, as a real path. */
  readonly dir: string;
  readonly functions: ReadonlyMap<string, LocalFunctionConfig>;
}

export interface ConfigProblem {
  /** Where in the file: `functions.hello.timeout`, or `line 3, column 5` for a syntax error. */
  readonly at: string;
  /** What is wrong and what to do. */
  readonly message: string;
}

/** A configuration the endpoint refuses; the message lists every problem. */
export class LocalConfigError extends Error {
  override readonly name = 'LocalConfigError';
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(describeProblems(file, problems));
  }
}

function describeProblems(file: string, problems: readonly ConfigProblem[]): string {
  if (problems.length === 1) return `${file}: ${problems[0]!.at}: ${problems[0]!.message}`;
  return [`${file} has ${problems.length} problems:`, ...problems.map((p) => `  ${p.at}: ${p.message}`)].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Parsing (pure)

interface RawVersion {
  handler?: string;
  timeout?: number;
  memory?: number;
  environment?: Record<string, string>;
  description?: string;
  runtime?: string;
}
interface RawFunction extends RawVersion {
  handler: string;
  versions?: Record<string, RawVersion>;
  aliases?: Record<string, string>;
  tenancy?: TenantIsolationMode;
  durable?: { executionTimeout: number; retentionPeriodInDays?: number };
  logFormat?: LogFormat;
  logGroup?: string;
}
interface RawConfig {
  functions: Record<string, RawFunction>;
}

/** Checks and reads the configuration text. `dir` is DIR's real path; nothing is read from disk. */
export function parseLocalConfig(text: string, file: string, dir: string): LocalConfig {
  const errors: ParseError[] = [];
  const value: unknown = parseJson(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  // Only the first syntax error: the parser's later ones mostly follow from it.
  if (errors.length > 0) throw new LocalConfigError(file, [syntaxProblem(text, errors[0]!)]);

  const validate = schemaValidator();
  if (!validate(value)) throw new LocalConfigError(file, schemaProblems(validate.errors ?? []));
  const raw = value as RawConfig;

  const problems: ConfigProblem[] = [];
  const functions = new Map<string, LocalFunctionConfig>();
  for (const [name, fn] of Object.entries(raw.functions)) {
    const at = `functions.${name}`;
    // The schema has checked both values; every version logs as the function does.
    const logging: LoggingSettings = { format: fn.logFormat ?? DEFAULT_LOG_FORMAT, group: fn.logGroup ?? defaultLogGroup(name) };
    const latest = versionConfig(name, LATEST, fn, undefined, dir, at, problems, logging);
    const versions = new Map<string, FunctionVersionConfig>();
    for (const [number, overrides] of Object.entries(fn.versions ?? {})) {
      const version = versionConfig(name, number, fn, overrides, dir, `${at}.versions.${number}`, problems, logging);
      if (version) versions.set(number, version);
    }
    const aliases = new Map<string, string>();
    for (const [alias, target] of Object.entries(fn.aliases ?? {})) {
      if (target !== LATEST && !versions.has(target)) {
        const declared = [...versions.keys(), LATEST].map((v) => `"${v}"`).join(', ');
        problems.push({
          at: `${at}.aliases.${alias}`,
          message: `points at version "${target}", which ${at}.versions does not declare. Declare version "${target}" under "versions", or point the alias at one of ${declared}.`,
        });
        continue;
      }
      aliases.set(alias, target);
    }
    if (latest) functions.set(name, { name, latest, versions, aliases, ...functionSettings(fn) });
  }
  if (problems.length > 0) throw new LocalConfigError(file, problems);
  return { file, dir, functions };
}

function versionConfig(
  functionName: string,
  version: string,
  fn: RawFunction,
  overrides: RawVersion | undefined,
  dir: string,
  at: string,
  problems: ConfigProblem[],
  logging: LoggingSettings,
): FunctionVersionConfig | undefined {
  const handlerText = overrides?.handler ?? fn.handler;
  const handler = parseHandler(handlerText, dir);
  if (typeof handler === 'string') {
    // Report the problem where the handler was written.
    problems.push({ at: overrides?.handler !== undefined ? `${at}.handler` : `functions.${functionName}.handler`, message: handler });
    return undefined;
  }
  return {
    functionName,
    version,
    handler,
    timeoutSeconds: overrides?.timeout ?? fn.timeout ?? DEFAULT_TIMEOUT_SECONDS,
    memoryMb: overrides?.memory ?? fn.memory ?? DEFAULT_MEMORY_MB,
    environment: { ...(overrides?.environment ?? fn.environment ?? {}) },
    description: overrides?.description ?? fn.description ?? '',
    runtime: overrides?.runtime ?? fn.runtime ?? DEFAULT_RUNTIME,
    logging,
  };
}

/** The settings of the function as a whole, present only when declared. */
function functionSettings(fn: RawFunction): Pick<LocalFunctionConfig, 'tenancy' | 'durable'> {
  return {
    ...(fn.tenancy ? { tenancy: fn.tenancy } : {}),
    ...(fn.durable
      ? { durable: { executionTimeoutSeconds: fn.durable.executionTimeout, retentionPeriodDays: fn.durable.retentionPeriodInDays ?? DEFAULT_DURABLE_RETENTION_DAYS } }
      : {}),
  };
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** `hello.mjs.handler`: a file name with its extension, then the export. */
const WITH_EXTENSION = /^(.+\.(?:js|mjs|cjs))\.(.+)$/;
/** `hello.handler`: the file name up to the first dot, then the export (Lambda's rule). */
const WITHOUT_EXTENSION = /^([^.]+)\.(.+)$/;

/** Splits a handler string; a string result is the problem, worded for the user. */
export function parseHandler(text: string, dir: string): HandlerRef | string {
  const example = 'write it as the file path relative to the folder, a dot, and the export: "functions/hello.handler"';
  if (text.includes('\\')) return `"${text}" uses backslashes: separate folders with "/" (${example}).`;
  const slash = text.lastIndexOf('/');
  const folder = text.slice(0, slash + 1);
  const base = text.slice(slash + 1);
  const match = WITH_EXTENSION.exec(base) ?? WITHOUT_EXTENSION.exec(base);
  if (!match) return `"${text}" names no export: ${example}.`;
  const modulePath = folder + match[1]!;
  const exportPath = match[2]!.split('.');
  const badPart = exportPath.find((part) => !IDENTIFIER.test(part));
  if (badPart !== undefined) return `"${badPart}" in "${text}" is not a JavaScript export name: ${example}.`;
  if (path.isAbsolute(modulePath) || /^[A-Za-z]:/.test(modulePath)) {
    return `"${text}" is an absolute path: handlers are relative to the folder the endpoint serves (${example}).`;
  }
  if (!isInside(dir, path.resolve(dir, modulePath))) {
    return `"${text}" points outside ${dir}: the endpoint only runs code inside the folder it serves. Move the file into it and fix "handler".`;
  }
  return { text, modulePath, hasExtension: WITH_EXTENSION.test(base), exportPath };
}

// ---------------------------------------------------------------------------------------------
// Schema problems

let compiled: ReturnType<Ajv['compile']> | undefined;

function schemaValidator(): ReturnType<Ajv['compile']> {
  // `verbose` keeps each failing schema node, whose description says what to write instead.
  compiled ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(schemaJson);
  return compiled;
}

/** One sentence per ajv keyword; the failing node's description follows it. */
const KEYWORD_TEXT: Readonly<Record<string, (error: ErrorObject, value: string) => string>> = {
  required: (e) => `"${param(e, 'missingProperty')}" is missing.`,
  additionalProperties: (e) => `"${param(e, 'additionalProperty')}" is not a known setting here (known: ${knownProperties(e)}).`,
  type: (e, value) => `${value} is not ${article(param(e, 'type'))}.`,
  minimum: (e, value) => `${value} is less than ${param(e, 'limit')}.`,
  maximum: (e, value) => `${value} is more than ${param(e, 'limit')}.`,
  minLength: (_e, value) => `${value} is too short.`,
  maxLength: (e, value) => `${value} is longer than ${param(e, 'limit')} characters.`,
  enum: (e, value) => `${value} is not one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}.`,
  pattern: (_e, value) => `${value} is not in the accepted form.`,
  not: (_e, value) => `${value} is reserved.`,
};

function schemaProblems(errors: readonly ErrorObject[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const error of errors) {
    // A `propertyNames` error only repeats the nested error about the same key.
    if (error.keyword === 'propertyNames') continue;
    const isKey = error.schemaPath.includes('/propertyNames/');
    const segments = pointerSegments(error.instancePath);
    if (isKey) segments.push(String(error.data));
    const value = isKey ? `The name "${String(error.data)}"` : `The value ${JSON.stringify(error.data)}`;
    const sentence = KEYWORD_TEXT[error.keyword]?.(error, value) ?? `${value} is not accepted (${error.message ?? error.keyword}).`;
    const description = schemaDescription(error);
    problems.push({ at: formatPath(segments), message: description ? `${sentence} ${description}` : sentence });
  }
  return problems.slice(0, 10);
}

function param(error: ErrorObject, name: string): string {
  const params = error.params as Record<string, unknown>;
  const value = params[name];
  return Array.isArray(value) ? value.join(' or ') : String(value);
}

function schemaDescription(error: ErrorObject): string | undefined {
  const parent = error.parentSchema as { description?: unknown } | undefined;
  return typeof parent?.description === 'string' ? parent.description : undefined;
}

function knownProperties(error: ErrorObject): string {
  const parent = error.parentSchema as { properties?: Record<string, unknown> } | undefined;
  return Object.keys(parent?.properties ?? {}).join(', ');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** `functions.hello.timeout`; odd keys in brackets: `functions["my.fn"]`. */
export function formatPath(segments: readonly string[]): string {
  if (segments.length === 0) return 'the top level';
  return segments.map((s, i) => (/^[A-Za-z0-9_$-]+$/.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`)).join('');
}

/** Words for jsonc-parser's error codes. */
const SYNTAX_TEXT: Readonly<Record<string, string>> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon was expected',
  CommaExpected: 'a comma was expected',
  CloseBraceExpected: 'a closing } was expected',
  CloseBracketExpected: 'a closing ] was expected',
  EndOfFileExpected: 'nothing may follow the top-level object',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'invalid \\u escape',
  InvalidEscapeCharacter: 'invalid escape in a string',
  InvalidCharacter: 'a control character must be escaped in a string',
};

function syntaxProblem(text: string, error: ParseError): ConfigProblem {
  const before = text.slice(0, error.offset);
  const line = before.split('\n').length;
  const column = error.offset - before.lastIndexOf('\n');
  const code = printParseErrorCode(error.error);
  return { at: `line ${line}, column ${column}`, message: `${SYNTAX_TEXT[code] ?? code}. Fix the JSON there (no comments, no trailing commas).` };
}

// ---------------------------------------------------------------------------------------------
// Handler files (file system)

export type HandlerFile =
  | { readonly kind: 'found'; readonly file: string; readonly mtimeMs: number; readonly size: number }
  | { readonly kind: 'missing'; readonly tried: readonly string[] }
  | { readonly kind: 'outside'; readonly file: string; readonly realFile: string };

/** The order Lambda's Node.js runtime tries extensions in. */
const EXTENSIONS = ['.js', '.mjs', '.cjs'] as const;

/**
 * The file a handler names, by real path, checked to be inside `dir` (a real path) after
 * following symbolic links. Called at startup and again before each worker starts.
 */
export async function resolveHandlerFile(dir: string, handler: HandlerRef): Promise<HandlerFile> {
  const tried = handler.hasExtension ? [handler.modulePath] : EXTENSIONS.map((ext) => handler.modulePath + ext);
  for (const candidate of tried) {
    const file = path.resolve(dir, candidate);
    let realFile: string;
    try {
      realFile = await fs.realpath(file);
    } catch {
      continue;
    }
    if (!isInside(dir, realFile)) return { kind: 'outside', file, realFile };
    const stat = await fs.stat(realFile);
    if (!stat.isFile()) continue;
    return { kind: 'found', file: realFile, mtimeMs: stat.mtimeMs, size: stat.size };
  }
  return { kind: 'missing', tried };
}

export function outsideMessage(handler: HandlerRef, found: { file: string; realFile: string }, dir: string): string {
  return `"${handler.text}" resolves to ${found.realFile} (through a symbolic link at ${found.file}), outside ${dir}: the endpoint only runs code inside the folder it serves. Copy the file into the folder, or fix "handler".`;
}

export function missingMessage(handler: HandlerRef, tried: readonly string[], dir: string): string {
  return `no file for handler "${handler.text}": looked for ${tried.join(', ')} in ${dir}. Create the file, or fix "handler" in ${CONFIG_FILE_NAME}.`;
}

export interface LoadedConfig {
  readonly config: LocalConfig;
  /** Not errors: handler files that do not exist yet (invoking them fails until they do). */
  readonly warnings: readonly string[];
}

/** Reads and checks `DIR/lambda-invoke.local.json`; `dir` must be a real path. */
export async function loadLocalConfig(dir: string): Promise<LoadedConfig> {
  const file = path.join(dir, CONFIG_FILE_NAME);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : `it cannot be read (${(e as Error).message})`;
    throw new LocalConfigError(file, [
      {
        at: 'the file',
        message: `${reason}. Create it to declare the functions to serve, for example {"functions": {"hello": {"handler": "functions/hello.handler"}}}.`,
      },
    ]);
  }
  const config = parseLocalConfig(text, file, dir);
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];
  for (const fn of config.functions.values()) {
    for (const version of [fn.latest, ...fn.versions.values()]) {
      const at = version.version === LATEST ? `functions.${fn.name}.handler` : `functions.${fn.name}.versions.${version.version}.handler`;
      const found = await resolveHandlerFile(dir, version.handler);
      if (found.kind === 'outside') problems.push({ at, message: outsideMessage(version.handler, found, dir) });
      if (found.kind === 'missing') warnings.push(`${file}: ${at}: ${missingMessage(version.handler, found.tried, dir)}`);
    }
  }
  if (problems.length > 0) throw new LocalConfigError(file, problems);
  return { config, warnings: [...new Set(warnings)] };
}

/** The version a qualifier names: none → `$LATEST`; a number → that version; else an alias. */
export function findFunctionVersion(config: LocalConfig, name: string, qualifier: string | undefined): FunctionVersionConfig | undefined {
  const fn = config.functions.get(name);
  if (!fn) return undefined;
  if (qualifier === undefined || qualifier === LATEST) return fn.latest;
  if (/^[0-9]+$/.test(qualifier)) return fn.versions.get(qualifier);
  const target = fn.aliases.get(qualifier);
  if (target === undefined) return undefined;
  return target === LATEST ? fn.latest : fn.versions.get(target);
}
