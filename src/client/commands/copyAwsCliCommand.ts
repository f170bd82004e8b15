/**
 * Copy as AWS CLI Command: the `aws lambda invoke …` line that sends what Invoke would send,
 * on the clipboard. Region, profile and endpoint are resolved as for an invocation when that
 * works, else taken from the file, the selection and the settings. A payload file is named
 * relative to its workspace folder; an inline payload too long (or too binary) for a command
 * line is written to a private temporary file the command reads.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InvocationRequest, ResolvedTarget } from '../../engine/types';
import { Config } from '../config';
import type { EngineModule } from '../engineLoader';
import { type LocatedInvocation, locateInvocation } from '../invoke/invocationLocator';
import type { InvocationOutput } from '../output/invocationOutput';
import { showInfo, showNotice } from '../output/notifications';
import { errorNotice } from '../output/outcomes';
import { buildOverrides, cliTarget, workspaceRelativePath } from '../profileRegion/overrides';
import type { ProfileRegionStore } from '../profileRegion/profileRegionStore';

/** Folder under the system's temporary directory for payloads too long for a command line. */
const PAYLOAD_FOLDER = 'lambda-invoke';

/** `title` is the command's, as package.json contributes it, for the picker and messages. */
export async function copyAwsCliCommand(engine: EngineModule, store: ProfileRegionStore, argument: unknown, output: InvocationOutput, title: string): Promise<void> {
  const located = await locateInvocation(engine, argument, title);
  if (located === undefined) return;
  let request: InvocationRequest;
  try {
    request = engine.prepare(located.file, { index: located.index }, false).request;
  } catch (error) {
    if (!(error instanceof engine.InvokeError)) throw error;
    const notice = errorNotice(located.label, error);
    // Nothing was written to the output for a copy: only the Problems view has more to show.
    const text = notice.text.replace(/^Not sent:\s*/i, 'Not copied: ');
    showNotice(notice.action === 'showProblems' ? { ...notice, text } : { severity: notice.severity, text }, output);
    return;
  }

  const overrides = buildOverrides(store.current, new Config(located.document.uri).target);
  let resolved: ResolvedTarget | undefined;
  let unresolved: string | undefined;
  try {
    resolved = await engine.resolveTarget({ request, overrides });
  } catch (error) {
    unresolved = error instanceof Error ? error.message : String(error);
  }

  const { request: cliRequest, runFrom } = withRelativePayloadFile(request, located);
  const payloadFile = temporaryPayloadFile(request);
  const command = engine.toAwsCliCommand(cliRequest, cliTarget(request, overrides, resolved), { payloadFileArg: payloadFile });
  const usesTemporaryFile = command.includes(`fileb://${payloadFile}`);
  if (usesTemporaryFile) await writePrivateFile(payloadFile, request.payload);
  await vscode.env.clipboard.writeText(command);

  const notes = [`Copied the AWS CLI command for ${located.label} to the clipboard.`];
  if (runFrom !== undefined) notes.push(`Run it in ${runFrom}: the payload file is named relative to that folder.`);
  if (usesTemporaryFile) notes.push(`The payload is too long or not text for a command line; the command reads it from ${payloadFile}.`);
  if (unresolved !== undefined) notes.push(`Where to send it could not be worked out (${unresolved}), so the CLI's own configuration fills in what the file does not say.`);
  void showInfo(notes.join(' '));
}

/** The request with its payload file named relative to the workspace folder holding it. */
function withRelativePayloadFile(request: InvocationRequest, located: LocatedInvocation): { request: InvocationRequest; runFrom?: string } {
  const source = request.payloadSource;
  if (typeof source !== 'object') return { request };
  const relative = workspaceRelativePath(source.file, located.file.workspaceRoots);
  if (relative === undefined) return { request };
  return { request: { ...request, payloadSource: { file: relative.path } }, runFrom: relative.root };
}

/** One file per function, so copying again replaces the previous payload instead of piling up files. */
function temporaryPayloadFile(request: InvocationRequest): string {
  const safeName = request.functionName.replace(/[^A-Za-z0-9_-]+/g, '_').slice(-100);
  return path.join(os.tmpdir(), PAYLOAD_FOLDER, `${safeName}.payload`);
}

/** Readable by this user only: a payload may hold what others on the machine should not see. */
async function writePrivateFile(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, bytes, { mode: 0o600 });
}
