/**
 * New Invoke File: asks for a name, creates `<name>.invoke.json` in the first workspace folder
 * from the template, opens it and selects the function name so typing replaces it. With no
 * folder open, the template opens as an untitled document instead.
 */
import * as vscode from 'vscode';
import { LANGUAGE_ID } from '../../protocol/ids';
import { INVOKE_FILE_SUFFIX, invokeFileName, invokeFileTemplate, templateFunctionNameRange } from './invokeFileTemplate';
import { showError, showInfo, showWarning } from '../output/notifications';

/** With `functionName` (the Lambda Functions view), the file calls that function and is named after it. */
export async function newInvokeFile(functionName?: string): Promise<void> {
  const text = invokeFileTemplate(functionName);
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder === undefined) {
    const document = await vscode.workspace.openTextDocument({ language: LANGUAGE_ID, content: text });
    await showWithFunctionNameSelected(document);
    void showInfo(`Lambda Invoke: no folder is open, so the new invoke file is untitled. Save it with a name ending in ${INVOKE_FILE_SUFFIX}.`);
    return;
  }

  const name = await vscode.window.showInputBox({
    title: 'Lambda Invoke: New Invoke File',
    prompt: `Name of the file to create in ${folder.name} (${INVOKE_FILE_SUFFIX} is added)`,
    placeHolder: 'create-order',
    ...(functionName !== undefined && 'path' in invokeFileName(functionName) ? { value: functionName } : {}),
    validateInput: async (value) => {
      const parsed = invokeFileName(value);
      if ('problem' in parsed) return value.trim() === '' ? undefined : parsed.problem;
      return (await exists(vscode.Uri.joinPath(folder.uri, parsed.path))) ? `${parsed.path} already exists in ${folder.name}.` : undefined;
    },
  });
  if (name === undefined) return;
  const parsed = invokeFileName(name);
  if ('problem' in parsed) {
    void showError(`Lambda Invoke: ${parsed.problem}`);
    return;
  }
  const uri = vscode.Uri.joinPath(folder.uri, parsed.path);
  if (await exists(uri)) {
    // Never overwrite: open what is there instead.
    void showWarning(`Lambda Invoke: ${parsed.path} already exists; it is opened unchanged.`);
    await vscode.window.showTextDocument(uri);
    return;
  }
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  await showWithFunctionNameSelected(await vscode.workspace.openTextDocument(uri));
}

async function showWithFunctionNameSelected(document: vscode.TextDocument): Promise<void> {
  const editor = await vscode.window.showTextDocument(document);
  const range = templateFunctionNameRange(document.getText());
  if (range === undefined) return;
  editor.selection = new vscode.Selection(document.positionAt(range.offset), document.positionAt(range.offset + range.length));
  editor.revealRange(editor.selection);
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
