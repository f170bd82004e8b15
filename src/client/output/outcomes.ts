/**
 * What the user is told when an invocation finishes, fails or retries: the progress message,
 * the notification (which kind, which words, which button) and the stamp on each output block.
 * The blocks themselves come from the engine's renderResult/renderError. Pure logic, no
 * `vscode` import; unit-tested in test/unit/clientLogic.test.ts.
 */
import type { Attempt, InvocationResult, InvokeError } from '../../engine/types';
import { formatDuration, formatWait } from '../../lambda/format';

/** Where a notification's button leads. */
export type NoticeAction = 'showProblems' | 'showOutput';

export interface Notice {
  /**
   * `status`: a passing message in the status bar (success needs no dialog: the output has come
   * to the front); the others are notifications of that severity.
   */
  severity: 'status' | 'info' | 'warning' | 'error';
  text: string;
  action?: NoticeAction;
}

/** The progress message while the engine waits to try again (throttled, or could not connect). */
export function attemptMessage(attempt: Attempt): string {
  const reason = attempt.retryReason ?? `try ${attempt.number} failed`;
  const wait = attempt.delayMs === undefined ? '' : ` in ${formatWait(attempt.delayMs)}`;
  return `${reason.charAt(0).toUpperCase()}${reason.slice(1)}; retrying${wait} (try ${attempt.number + 1})…`;
}

/** What to say once Lambda has answered 2xx. A function error is a failure, said as one. */
export function resultNotice(label: string, result: Pick<InvocationResult, 'statusCode' | 'functionError' | 'errorDetails' | 'durationMs'>): Notice {
  if (result.functionError !== undefined) {
    const details = result.errorDetails;
    const what = [details?.errorType, details?.errorMessage].filter((part) => part !== undefined && part !== '').join(': ');
    return {
      severity: 'error',
      text: `${label} failed: the function returned an error (${result.functionError})${what === '' ? '.' : `: ${what}`}`,
      action: 'showOutput',
    };
  }
  const took = formatDuration(result.durationMs);
  const texts: Readonly<Record<number, string>> = {
    202: `${label}: queued by Lambda (202) in ${took}`,
    204: `Dry run of ${label} passed (204) in ${took}: the call would be allowed`,
  };
  return { severity: 'status', text: `$(check) ${texts[result.statusCode] ?? `${label}: ${result.statusCode} in ${took}`}` };
}

/** What to say when an invocation did not get a 2xx answer (or was never sent). */
export function errorNotice(label: string, error: Pick<InvokeError, 'kind' | 'message' | 'details'>): Notice {
  const hint = error.details.hint;
  const withHint = hint === undefined || hint === '' ? error.message : `${error.message} ${hint}`;
  if (error.kind === 'validation' && (error.details.diagnostics?.length ?? 0) > 0) {
    // The file's problems are already marked in the editor and listed in the Problems view.
    const text = /^not sent\b/i.test(error.message) ? error.message : `Not sent: ${error.message}`;
    return { severity: 'error', text, action: 'showProblems' };
  }
  if (error.kind === 'cancelled') {
    // A user's own cancel is no error, unless the function may be running regardless.
    return error.details.mayHaveRun === true
      ? { severity: 'warning', text: `${label}: ${withHint}`, action: 'showOutput' }
      : { severity: 'info', text: `${label}: ${error.message}` };
  }
  return { severity: 'error', text: `${label}: ${withHint}`, action: 'showOutput' };
}

/** One output block: the engine's text with the local time on its first line (the engine adds none). */
export function stampBlock(block: string, at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const time = `${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
  const text = block.endsWith('\n') ? block : `${block}\n`;
  return `[${time}] ${text}`;
}

