/**
 * How an invocation is named wherever it is shown: notifications, pickers, the output block,
 * the outline and the ▶ Invoke lens. One rule for every side.
 */

export interface LabelParts {
  /** Position in an array file; 0 for a file holding one object. */
  index: number;
  /** The invocation's `name`, if a string. */
  name?: unknown;
  /** The invocation's `functionName`, if a string. */
  functionName?: unknown;
}

/**
 * Its `name`; else its function name as written; else its position from 0, as the CLI's
 * `--index` counts (`invocation #2`).
 */
export function invocationLabel({ index, name, functionName }: LabelParts): string {
  if (typeof name === 'string' && name !== '') return name;
  if (typeof functionName === 'string' && functionName !== '') return functionName;
  return `invocation #${index}`;
}
