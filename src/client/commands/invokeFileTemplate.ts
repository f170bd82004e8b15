/**
 * New Invoke File: which names are accepted for the file and what a new file holds. Pure logic,
 * no `vscode` import; unit-tested in test/unit/clientLogic.test.ts.
 */

export const INVOKE_FILE_SUFFIX = '.invoke.json';

/** The function name the template starts with; the editor selects it so typing replaces it. */
export const TEMPLATE_FUNCTION_NAME = 'my-function';

/** Characters no file name may hold on Windows, macOS or Linux (the separators `/` `\` aside). */
const FORBIDDEN_CHARACTERS = /[<>:"|?*]/;

function hasControlCharacter(text: string): boolean {
  return [...text].some((c) => c.charCodeAt(0) < 0x20);
}

/**
 * The path of the new file relative to the workspace folder (`orders/create.invoke.json`), from
 * what the user typed (`orders/create`, with or without the suffix); or why it will not do.
 */
export function invokeFileName(input: string): { path: string } | { problem: string } {
  const trimmed = input.trim().replace(/\\/g, '/');
  const base = trimmed.endsWith(INVOKE_FILE_SUFFIX) ? trimmed.slice(0, -INVOKE_FILE_SUFFIX.length) : trimmed.replace(/\.json$/, '');
  if (base === '') return { problem: 'Type a name for the file, such as create-order.' };
  if (base.startsWith('/') || /^[a-zA-Z]:/.test(base)) return { problem: 'Give a name relative to the workspace folder, not an absolute path.' };
  const segments = base.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    return { problem: 'The name may contain folders (tests/create-order) but no empty, "." or ".." parts.' };
  }
  if (FORBIDDEN_CHARACTERS.test(base) || hasControlCharacter(base)) return { problem: 'File names cannot contain < > : " | ? * or control characters.' };
  if (segments.some((segment) => segment.endsWith('.') || segment.endsWith(' '))) {
    return { problem: 'A file or folder name cannot end with a dot or a space.' };
  }
  return { path: `${base}${INVOKE_FILE_SUFFIX}` };
}

/**
 * The text of a new invoke file: one synchronous invocation with its log tail and a small
 * payload, calling `functionName` (the placeholder when none is given).
 */
export function invokeFileTemplate(functionName: string = TEMPLATE_FUNCTION_NAME): string {
  const invocation = {
    functionName,
    invocationType: 'RequestResponse',
    logType: 'Tail',
    payload: { message: 'Hello from Lambda Invoke' },
  };
  return `${JSON.stringify(invocation, undefined, 2)}\n`;
}

/** Where the template's function name sits, to select it in the editor. */
export function templateFunctionNameRange(text: string): { offset: number; length: number } | undefined {
  const quoted = JSON.stringify(TEMPLATE_FUNCTION_NAME);
  const at = text.indexOf(`"functionName": ${quoted}`);
  if (at < 0) return undefined;
  return { offset: at + `"functionName": `.length + 1, length: TEMPLATE_FUNCTION_NAME.length };
}
