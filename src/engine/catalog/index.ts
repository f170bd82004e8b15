/**
 * The function catalogue's public face, bundled on its own as dist/catalog.js: the extension
 * requires it on first use (beside dist/extension.js) to answer the language server's account
 * facts, a function's log location and durable executions, and the CLI loads it for `functions`,
 * `check --account` and `run --logs` only. It holds the AWS SDK's Lambda client, which
 * dist/extension.js, dist/engine.js, dist/cli.js and dist/logs.js leave out.
 */
import type { AccountFactsParams, AccountFactsResult } from '../../protocol/accountFacts';
import type { CatalogContext, FunctionCatalog } from './functionCatalog';

export { FunctionCatalog, type CatalogContext, type CatalogOptions } from './functionCatalog';
export { MAX_PAGES, PAGE_SIZE } from './controlPlane';
export { defaultLogGroup, functionLogLocation } from './logLocation';
export {
  type DurableEvent,
  type DurableExecutionDescription,
  DurableReadError,
  MAX_HISTORY_PAGES,
  describeDurableExecution,
  isTerminalDurableStatus,
} from './durableExecutions';

type Answer<K extends AccountFactsParams['kind']> = (
  catalog: FunctionCatalog,
  params: Extract<AccountFactsParams, { kind: K }>,
  context: CatalogContext,
  signal?: AbortSignal,
) => Promise<AccountFactsResult>;

/** How each kind of request is answered. */
const ANSWERS: { [K in AccountFactsParams['kind']]: Answer<K> } = {
  functions: (catalog, params, context, signal) => catalog.functions(params.target, context, signal),
  function: (catalog, params, context, signal) => catalog.function(params.target, params.functionName, context, signal),
};

/** Answers one `lambdaInvoke/accountFacts` request (src/protocol/accountFacts.ts) from the catalogue. */
export function answerAccountFacts(catalog: FunctionCatalog, params: AccountFactsParams, context: CatalogContext, signal?: AbortSignal): Promise<AccountFactsResult> {
  // The params come over the wire: a kind this version does not know gets an answer, not a throw.
  if (!Object.hasOwn(ANSWERS, params.kind)) {
    return Promise.resolve({ kind: 'unavailable', reason: 'unreachable', message: `Unknown account facts request ${JSON.stringify(params.kind)}.` });
  }
  const answer = ANSWERS[params.kind] as Answer<AccountFactsParams['kind']>;
  return answer(catalog, params, context, signal);
}
