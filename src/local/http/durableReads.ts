/**
 * GetDurableExecution and GetDurableExecutionHistory over the endpoint's durable executions
 * (durable/durableExecutions.ts): the ARN from the path label, IncludeExecutionData, and the
 * history's MaxItems (default 100, at most 1,000, 0 meaning the default), Marker and
 * ReverseOrder query parameters, checked as Lambda checks them. Pure: request parts in, JSON
 * answer or `ServiceFailure` out.
 */
import { describeExecution, historyEvents, type DurableExecutionStore } from '../durable/durableExecutions';
import { validation, type Checked } from './invokeRequest';
import { failure } from './serviceErrors';

export type DurableReadOperation = 'GetDurableExecution' | 'GetDurableExecutionHistory';

const HISTORY_DEFAULT_ITEMS = 100;
const HISTORY_MAX_ITEMS = 1000;

const fail = (name: 'ValidationException' | 'ResourceNotFoundException' | 'InvalidParameterValueException', message: string): Checked<never> => ({
  ok: false,
  failure: failure(name, message),
});

function booleanQuery(query: URLSearchParams, name: string, fallback: boolean): Checked<boolean> {
  const value = query.get(name);
  if (value === null) return { ok: true, value: fallback };
  if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
  return fail('ValidationException', validation(value, name, 'Member must be true or false'));
}

export function answerDurableRead(store: DurableExecutionStore, operation: DurableReadOperation, rawLabel: string, query: URLSearchParams): Checked<object> {
  let arn: string;
  try {
    arn = decodeURIComponent(rawLabel);
  } catch {
    return fail('ValidationException', `The durable execution ARN in the path is not valid percent-encoding: ${rawLabel}. Encode it once with encodeURIComponent.`);
  }
  const execution = store.get(arn);
  if (!execution) {
    return fail(
      'ResourceNotFoundException',
      `Durable execution not found: ${arn}. This local endpoint keeps the executions it started since it started (the newest 1,000); take the ARN from the X-Amz-Durable-Execution-Arn header of the invocation.`,
    );
  }
  const include = booleanQuery(query, 'IncludeExecutionData', true);
  if (!include.ok) return include;
  if (operation === 'GetDurableExecution') return { ok: true, value: describeExecution(execution, include.value) };

  const reverse = booleanQuery(query, 'ReverseOrder', false);
  if (!reverse.ok) return reverse;
  const maxText = query.get('MaxItems');
  const max = maxText === null ? 0 : Number(maxText);
  if (!Number.isInteger(max) || max < 0 || max > HISTORY_MAX_ITEMS) {
    return fail('ValidationException', validation(String(maxText), 'maxItems', `Member must have value between 0 and ${HISTORY_MAX_ITEMS}`));
  }
  const events = historyEvents(execution, include.value);
  if (reverse.value) events.reverse();
  const marker = query.get('Marker');
  const start = marker === null ? 0 : Number(marker);
  if (!Number.isInteger(start) || start < 0 || start > events.length) {
    return fail('InvalidParameterValueException', `Marker ${JSON.stringify(marker)} is not one this endpoint gave: pass the NextMarker of the previous page unchanged.`);
  }
  const end = start + (max === 0 ? HISTORY_DEFAULT_ITEMS : max);
  return { ok: true, value: { Events: events.slice(start, end), ...(end < events.length ? { NextMarker: String(end) } : {}) } };
}
