/**
 * The CLI's account commands. `functions` lists the function catalogue at a profile, region and
 * endpoint; `check --account` adds to `check` the warnings of the account rules, from the facts
 * each file's invocations need. Both read through the function catalogue, which this module loads
 * at run time only: scripts/build.mjs bundles src/engine/catalog as dist/catalog.js and turns the
 * import below into a require of that file beside dist/cli.js, so `run`, `check` and `serve`
 * never parse the AWS SDK's Lambda client. From source (tsx), the import loads the module itself.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type * as Catalog from '../engine/catalog/index';
import type { CheckedFile } from '../engine/run';
import { formatCount } from '../lambda/format';
import { parseFunctionName } from '../lambda/functionName';
import { type AccountFactsLookup, accountDiagnostics, accountFactsNeeded, worthAsking } from '../language/account';
import { factsKey } from '../language/accountSubject';
import type { AccountFactsParams, AccountFactsResult, FunctionSummary } from '../protocol/accountFacts';
import type { TargetOverrides } from '../protocol/targetOverrides';
import { ExitCode, type Io } from './io';

type CatalogModule = typeof Catalog;

/** Lookups of one file asked at once: enough to hide the latency, few enough not to be throttled. */
const LOOKUPS_AT_ONCE = 4;

async function loadCatalog(command: string, io: Io): Promise<CatalogModule | undefined> {
  try {
    return await import('../engine/catalog/index.js');
  } catch (e) {
    io.stderr(`lambda-invoke ${command}: the function catalogue's code could not be loaded (${e instanceof Error ? e.message : String(e)}). Reinstall, or rebuild with \`npm run build\`.\n`);
    return undefined;
  }
}

/** The columns of the `functions` table; the last one is not padded. */
const COLUMNS: readonly (readonly [header: string, cell: (f: FunctionSummary) => string])[] = [
  ['NAME', (f) => f.name],
  // A container image function has no runtime.
  ['RUNTIME', (f) => f.runtime ?? '-'],
  ['DESCRIPTION', (f) => (f.description ?? '').replace(/\s+/g, ' ').trim()],
];

function table(functions: readonly FunctionSummary[]): string {
  const rows = [COLUMNS.map(([header]) => header), ...functions.map((f) => COLUMNS.map(([, cell]) => cell(f)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i]!) : cell)).join('  ').trimEnd()).join('\n');
}

/** "3 functions in account 123456789012, us-west-2." — where the list came from, read off its ARNs. */
function summary(functions: readonly FunctionSummary[], truncated: boolean): string {
  if (functions.length === 0) return 'No functions at this profile, region and endpoint.';
  const arn = parseFunctionName(functions[0]!.arn);
  const where = arn?.account !== undefined && arn.region !== undefined ? ` in account ${arn.account}, ${arn.region}` : '';
  const count = `${formatCount(functions.length)} ${functions.length === 1 ? 'function' : 'functions'}${where}`;
  return truncated ? `${count}: the first ${formatCount(functions.length)} only; the account has more.` : `${count}.`;
}

/** `lambda-invoke functions`: the catalogue as a table (stdout), or as a JSON array of FunctionSummary with `json`. */
export async function listFunctions(extra: readonly string[], { overrides, json }: { overrides: TargetOverrides; json: boolean }, io: Io): Promise<number> {
  if (extra.length > 0) {
    io.stderr(`lambda-invoke functions: takes no file or other argument (got ${extra.map((a) => JSON.stringify(a)).join(', ')}).\n`);
    return ExitCode.invalid;
  }
  const catalog = await loadCatalog('functions', io);
  if (catalog === undefined) return ExitCode.failure;
  const result = await new catalog.FunctionCatalog().functions({}, { overrides, env: io.env }, io.signal);
  if (result.kind !== 'functions') {
    io.stderr(`lambda-invoke functions: ${result.kind === 'unavailable' ? (result.message ?? result.reason) : 'no list of functions came back.'}\n`);
    return ExitCode.failure;
  }
  io.stdout(`${json ? JSON.stringify(result.functions) : table(result.functions)}\n`);
  io.stderr(`${summary(result.functions, result.truncated === true)}\n`);
  return ExitCode.ok;
}

export interface AccountChecker {
  /** The account warnings of a checked file, from the facts its invocations need. */
  diagnostics(checked: CheckedFile): Promise<Diagnostic[]>;
}

/** Runs `task` for every item, at most `limit` at a time. */
async function eachAtMost<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * What `check --account` adds: one catalogue for the whole run (a function several files call
 * is read once), and each reason facts were unavailable said once on stderr. Undefined when the
 * catalogue's code cannot be loaded (said on stderr).
 */
export async function accountChecker(context: { overrides: TargetOverrides; allowEndpoint: (endpoint: URL) => boolean }, io: Io): Promise<AccountChecker | undefined> {
  const module = await loadCatalog('check --account', io);
  if (module === undefined) return undefined;
  const catalog = new module.FunctionCatalog();
  const said = new Set<string>();
  const note = (result: AccountFactsResult) => {
    if (result.kind !== 'unavailable') return;
    const hint = result.reason === 'unconfirmed-endpoint' ? ' To check against it, pass --allow-endpoint ORIGIN (or --allow-file-endpoints).' : '';
    const line = `lambda-invoke check: account checks skipped: ${result.message ?? result.reason}${hint}`;
    if (said.has(line)) return;
    said.add(line);
    io.stderr(`${line}\n`);
  };
  const lookupContext = { overrides: context.overrides, env: io.env, allowEndpoint: context.allowEndpoint };
  return {
    async diagnostics(checked) {
      const answers = new Map<string, AccountFactsResult>();
      const facts: AccountFactsLookup = {
        functions: (target) => answers.get(factsKey({ kind: 'functions', target })),
        function: (target, functionName) => answers.get(factsKey({ kind: 'function', target, functionName })),
      };
      const ask = async (params: AccountFactsParams) => {
        const result = await module.answerAccountFacts(catalog, params, lookupContext, io.signal);
        answers.set(factsKey(params), result);
        note(result);
      };
      const needed = accountFactsNeeded(checked.doc);
      // The catalogues first: a function they do not list (or that cannot be read at all) is not asked about.
      await eachAtMost(needed.filter((p) => p.kind === 'functions'), LOOKUPS_AT_ONCE, ask);
      await eachAtMost(needed.filter((p) => p.kind === 'function' && worthAsking(p, facts)), LOOKUPS_AT_ONCE, ask);
      return accountDiagnostics(checked.document, checked.doc, facts);
    },
  };
}
