/**
 * One wrapper for every request handler: a handler that throws returns its fallback and the
 * error is logged with the document's URI; a cancelled request answers RequestCancelled.
 * No handler can take the server down or leave a request unanswered.
 */
import { type CancellationToken, LSPErrorCodes, ResponseError } from 'vscode-languageserver';

export interface Logger {
  error(message: string): void;
}

export function runSafe<T>(
  logger: Logger,
  what: string,
  uri: string | undefined,
  token: CancellationToken,
  fallback: T,
  run: () => T,
): Promise<T | ResponseError<void>> {
  return new Promise((resolve) => {
    // Yield once so a cancellation that is already on its way is seen before the work starts.
    setImmediate(() => {
      if (token.isCancellationRequested) {
        resolve(cancelled());
        return;
      }
      try {
        const result = run();
        resolve(token.isCancellationRequested ? cancelled() : result);
      } catch (e) {
        logger.error(formatError(`${what} failed${uri ? ` for ${uri}` : ''}`, e));
        resolve(fallback);
      }
    });
  });
}

export function formatError(message: string, error: unknown): string {
  if (error instanceof Error) return `${message}: ${error.message}\n${error.stack ?? ''}`;
  return `${message}: ${String(error)}`;
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}
