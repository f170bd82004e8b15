/**
 * Reading the catalogue of functions at a target (the `functions` answer): whether it lists the
 * function an invocation names, the listed name nearest a misspelt one, and the partition its
 * ARNs are in. Each answer is indexed once, when first read, and the index is kept with it: the
 * account checks run on every keystroke, and a catalogue may hold thousands of functions.
 */
import { type FunctionNameParts, parseFunctionName } from '../lambda/functionName';
import type { FunctionSummary } from '../protocol/accountFacts';
import { closest } from './wording';

export interface Catalogue {
  functions: readonly FunctionSummary[];
  /** The answer holds only the first page(s): a name it lacks may still exist. */
  truncated: boolean;
}

/** Whether the catalogue lists a function; `cannot-tell` when it may lack it without Lambda lacking it. */
export type Listing = 'listed' | 'absent' | 'cannot-tell';

interface CatalogueIndex {
  /** Every listed name. */
  names: ReadonlySet<string>;
  /** Listed names by the account in their ARN. */
  byAccount: ReadonlyMap<string, ReadonlySet<string>>;
  partition: string | undefined;
  /** Nearest listed names found so far, by the name (and account) looked for. */
  nearest: Map<string, string | undefined>;
}

const indexes = new WeakMap<readonly FunctionSummary[], CatalogueIndex>();

/** Nearest names kept per catalogue: typing a name asks for one per keystroke, and those need not pile up. */
const NEAREST_KEPT = 256;

function indexOf(functions: readonly FunctionSummary[]): CatalogueIndex {
  let index = indexes.get(functions);
  if (index) return index;
  const byAccount = new Map<string, Set<string>>();
  let partition: string | undefined;
  for (const summary of functions) {
    const arn = parseFunctionName(summary.arn);
    partition ??= arn?.partition;
    if (arn?.account === undefined) continue;
    const names = byAccount.get(arn.account) ?? new Set<string>();
    names.add(summary.name);
    byAccount.set(arn.account, names);
  }
  index = { names: new Set(functions.map((f) => f.name)), byAccount, partition, nearest: new Map() };
  indexes.set(functions, index);
  return index;
}

/**
 * The names an invocation's function may be among: all of them for a plain name; for an ARN
 * or partial ARN with an account, that account's. Undefined when the catalogue is of another
 * account (a cross-account call): it says nothing about the function then.
 */
function candidates(index: CatalogueIndex, parts: FunctionNameParts): ReadonlySet<string> | undefined {
  return parts.account === undefined ? index.names : index.byAccount.get(parts.account);
}

export function listing(catalogue: Catalogue, parts: FunctionNameParts): Listing {
  const names = candidates(indexOf(catalogue.functions), parts);
  if (names === undefined) return 'cannot-tell';
  if (names.has(parts.name)) return 'listed';
  return catalogue.truncated ? 'cannot-tell' : 'absent';
}

/** The listed name a misspelt one most likely meant; undefined when none is close. */
export function nearestListed(catalogue: Catalogue, parts: FunctionNameParts): string | undefined {
  const index = indexOf(catalogue.functions);
  const key = `${parts.account ?? ''}:${parts.name}`;
  if (index.nearest.has(key)) return index.nearest.get(key);
  const names = candidates(index, parts);
  const found = names === undefined ? undefined : closest(parts.name, [...names]);
  if (index.nearest.size >= NEAREST_KEPT) index.nearest.clear();
  index.nearest.set(key, found);
  return found;
}

/** The partition of the catalogue's ARNs (`aws`, `aws-cn`, …); undefined for an empty one. */
export function cataloguePartition(catalogue: Catalogue): string | undefined {
  return indexOf(catalogue.functions).partition;
}
