/**
 * Finds the invocation a command is about, and what the engine needs to read it: from a code
 * lens (`{uri, index}`), else the invocation under the cursor in the active `.invoke.json`
 * editor, else one the user picks from the file's list. The document's current text is used,
 * saved or not.
 */
import { posix } from 'node:path';
import * as vscode from 'vscode';
import type { FileInput } from '../../engine/index';
import { LANGUAGE_ID } from '../../protocol/ids';
import { CommandError } from '../commands/commandError';
import type { EngineModule } from '../engineLoader';
import { invocationLabel } from '../../protocol/invocationLabel';
import { documentFilePath, invocationAtOffset, invocationPickItems, parseInvocationRef, summarizeInvocations } from './selection';

export interface LocatedInvocation {
  document: vscode.TextDocument;
  /** What the engine reads the file from: path, current text, URI and workspace folders. */
  file: FileInput;
  /** The invocation's index; undefined for a file that holds none (the engine says so). */
  index: number | undefined;
  /** Its name, else its function name; for titles and messages. */
  label: string;
}

/**
 * The invocation for a command's argument, or undefined when the user dismissed the pick.
 * @param commandTitle the command's title, for messages ("Invoke", "Dry Run").
 */
export async function locateInvocation(engine: EngineModule, argument: unknown, commandTitle: string): Promise<LocatedInvocation | undefined> {
  const { document, index: lensIndex } = await documentFor(argument, commandTitle);
  const file = fileInput(document);
  const invocations = summarizeInvocations(engine.checkFile(file).doc.invocations);
  const fileName = posix.basename(document.uri.path);

  let index = lensIndex;
  if (index === undefined) {
    const editor = vscode.window.activeTextEditor;
    const offset = editor?.document === document ? document.offsetAt(editor.selection.active) : undefined;
    const atCursor = offset === undefined ? undefined : invocationAtOffset(invocations, offset);
    if (atCursor !== undefined) index = atCursor.index;
    else if (invocations.length === 1) index = invocations[0]!.index;
    else if (invocations.length > 1) {
      const picked = await vscode.window.showQuickPick(invocationPickItems(invocations), {
        title: `Lambda Invoke: ${commandTitle}`,
        placeHolder: `Which invocation of ${fileName}? (Place the cursor in one to skip this question.)`,
        matchOnDescription: true,
      });
      if (picked === undefined) return undefined;
      index = picked.index;
    }
  }
  const summary = invocations.find((inv) => inv.index === index);
  const label = summary !== undefined ? invocationLabel(summary) : index === undefined ? fileName : `invocation #${index} of ${fileName}`;
  return { document, file, index, label };
}

/** The document the argument names (a lens's `{uri, index}` or a URI), or the active editor's. */
async function documentFor(argument: unknown, commandTitle: string): Promise<{ document: vscode.TextDocument; index?: number }> {
  if (argument === undefined) {
    const document = vscode.window.activeTextEditor?.document;
    if (document?.languageId !== LANGUAGE_ID) {
      throw new CommandError(`Lambda Invoke: ${commandTitle} works on an .invoke.json file. Open one (or create it with "Lambda Invoke: New Invoke File") and run the command again.`);
    }
    return { document };
  }
  if (argument instanceof vscode.Uri) return { document: await openDocument(argument) };
  const ref = parseInvocationRef(argument);
  if (ref === undefined) {
    throw new CommandError(`Lambda Invoke: ${commandTitle} was given an argument it does not understand (${describe(argument)}); it takes {"uri": string, "index": number} or nothing.`);
  }
  return { document: await openDocument(vscode.Uri.parse(ref.uri, true)), index: ref.index };
}

async function openDocument(uri: vscode.Uri): Promise<vscode.TextDocument> {
  const key = uri.toString();
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === key);
  if (open !== undefined) return open;
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch (error) {
    throw new CommandError(`Lambda Invoke: cannot open ${uri.toString(true)} (${error instanceof Error ? error.message : String(error)}).`);
  }
}

/** The engine's view of the document: its current text, where it lives, and the workspace folders. */
function fileInput(document: vscode.TextDocument): FileInput {
  const workspaceRoots = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
  const filePath = documentFilePath(document.uri, workspaceRoots);
  if (filePath === undefined) {
    throw new CommandError(
      document.isUntitled
        ? 'Lambda Invoke: save this file first (or open a folder), so its payload files can be found.'
        : `Lambda Invoke: ${document.uri.toString(true)} is not on this machine's file system; only local files can be invoked.`,
    );
  }
  return { filePath, text: document.getText(), uri: document.uri.toString(), workspaceRoots };
}

function describe(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
