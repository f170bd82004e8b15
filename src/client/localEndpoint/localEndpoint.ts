/**
 * The palette commands Start Local Endpoint and Stop Local Endpoint: one built-in local Lambda
 * endpoint at a time, serving the functions of the first workspace folder's
 * lambda-invoke.local.json on the port of `lambdaInvoke.localEndpoint.port`. Its output goes to
 * the "Lambda Invoke Local Endpoint" channel; it stops on Stop and when the extension
 * deactivates. The process itself is handled by localEndpointProcess.ts (no `vscode` there).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ContextKeys, LocalEndpointDefaults, OutputChannels, SettingIds } from '../../protocol/ids';
import { CommandError } from '../commands/commandError';
import { Config } from '../config';
import { LocalEndpointProcess, LocalEndpointStartError, isValidPort, serveArguments } from './localEndpointProcess';
import { showInfo, showWarning } from '../output/notifications';

const OUTPUT_CHANNEL_NAME = OutputChannels.localEndpoint;
/** The file that declares the functions; the endpoint serves nothing without it. */
const FUNCTIONS_FILE = LocalEndpointDefaults.configFileName;
/** The CLI, bundled next to dist/extension.js by scripts/build.mjs. */
const CLI_FILE = 'cli.js';

const SHOW_OUTPUT = 'Show Output';
const USE_IT = 'Use It for This Workspace';

export class LocalEndpoint implements vscode.Disposable {
  private endpoint: LocalEndpointProcess | undefined;
  private starting: Promise<void> | undefined;
  private channel: vscode.OutputChannel | undefined;

  /** The endpoint's URL while it runs. */
  get url(): URL | undefined {
    return this.endpoint?.running === true ? this.endpoint.url : undefined;
  }

  async start(): Promise<void> {
    if (this.starting) {
      void showInfo('The local Lambda endpoint is already starting.');
      return;
    }
    if (this.endpoint?.running === true) {
      this.announce(this.endpoint.url, 'is already running at');
      return;
    }
    this.starting = this.launch();
    try {
      await this.starting;
    } finally {
      this.starting = undefined;
    }
  }

  async stop(): Promise<void> {
    // A Stop during the start waits for it, then stops what it started.
    await this.starting?.catch(() => undefined);
    const endpoint = this.endpoint;
    if (endpoint?.running !== true) {
      void showInfo('The local Lambda endpoint is not running.');
      return;
    }
    await this.shutDown();
    void showInfo(`The local Lambda endpoint at ${display(endpoint.url)} has stopped.`);
  }

  /** Stops the endpoint if it runs, quietly (deactivation). */
  async shutDown(): Promise<void> {
    const endpoint = this.endpoint;
    this.endpoint = undefined;
    if (endpoint?.running === true) {
      this.output().appendLine(`[${timestamp()}] Stopping the local endpoint (pid ${endpoint.pid ?? '?'}).`);
      await endpoint.stop();
    }
    setRunning(false);
  }

  dispose(): void {
    this.endpoint?.stopNow();
    this.endpoint = undefined;
    this.channel?.dispose();
    this.channel = undefined;
  }

  private async launch(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder === undefined) {
      throw new CommandError(`Lambda Invoke: open a folder first. The local endpoint serves the functions declared in the folder's ${FUNCTIONS_FILE}.`);
    }
    if (folder.uri.scheme !== 'file') {
      throw new CommandError(`Lambda Invoke: the local endpoint runs functions from a folder on disk; ${folder.name} is not one (${folder.uri.scheme}:).`);
    }
    const dir = folder.uri.fsPath;
    if (!fs.existsSync(path.join(dir, FUNCTIONS_FILE))) {
      throw new CommandError(
        `Lambda Invoke: there is no ${FUNCTIONS_FILE} in ${folder.name}. Declare your functions there first, for example {"functions": {"hello": {"handler": "functions/hello.handler"}}}.`,
      );
    }
    const cliPath = path.join(__dirname, CLI_FILE);
    if (!fs.existsSync(cliPath)) throw new CommandError(`Lambda Invoke: its command line ${cliPath} is missing. Reinstall the extension.`);
    const setting = vscode.workspace.getConfiguration(undefined, folder.uri).get<unknown>(SettingIds.localEndpointPort, LocalEndpointDefaults.port);
    if (!isValidPort(setting)) {
      throw new CommandError(`Lambda Invoke: the setting ${SettingIds.localEndpointPort} is ${JSON.stringify(setting)}; set it to a port number from 1 to 65535.`);
    }

    const channel = this.output();
    channel.appendLine(`[${timestamp()}] Starting: node ${serveArguments(cliPath, dir, setting).join(' ')}`);
    setRunning(true);
    let endpoint: LocalEndpointProcess;
    try {
      endpoint = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Starting the local Lambda endpoint on port ${setting}…` },
        () =>
          LocalEndpointProcess.start({
            nodePath: process.execPath,
            cliPath,
            folder: dir,
            port: setting,
            onOutput: (text) => channel.append(text),
            onExit: (how) => this.stoppedByItself(how),
          }),
      );
    } catch (error) {
      setRunning(false);
      channel.appendLine(`[${timestamp()}] Not started.`);
      channel.show(true);
      const reason = error instanceof LocalEndpointStartError ? error.message.split('\n')[0] : error instanceof Error ? error.message : String(error);
      throw new CommandError(`Lambda Invoke: the local endpoint did not start. ${reason} Its output is in "${OUTPUT_CHANNEL_NAME}".`);
    }
    this.endpoint = endpoint;
    this.announce(endpoint.url, 'is listening at', folder.uri);
  }

  /** It stopped without being asked (a crash, or killed from outside). */
  private stoppedByItself(how: string): void {
    this.endpoint = undefined;
    setRunning(false);
    this.output().appendLine(`[${timestamp()}] The local endpoint stopped (${how}).`);
    void showWarning(`The local Lambda endpoint stopped (${how}). Its output is in "${OUTPUT_CHANNEL_NAME}".`, SHOW_OUTPUT).then((choice) => {
      if (choice === SHOW_OUTPUT) this.output().show();
    });
  }

  /**
   * Says where it listens, with a button that points `lambdaInvoke.endpoint` of the workspace at
   * it when invocations would go elsewhere.
   */
  private announce(url: URL, verb: string, scope?: vscode.Uri): void {
    const configured = new Config(scope).endpoint;
    const pointsHere = configured !== undefined && sameEndpoint(configured, url);
    const buttons = pointsHere ? [SHOW_OUTPUT] : [USE_IT, SHOW_OUTPUT];
    const note = pointsHere ? '' : ` Invocations go to ${configured ?? "the Region's AWS endpoint"} until ${SettingIds.endpoint} points here.`;
    void showInfo(`The local Lambda endpoint ${verb} ${display(url)}.${note}`, ...buttons).then(async (choice) => {
      if (choice === SHOW_OUTPUT) this.output().show();
      if (choice === USE_IT) {
        await vscode.workspace.getConfiguration().update(SettingIds.endpoint, display(url), vscode.ConfigurationTarget.Workspace);
        void showInfo(`${SettingIds.endpoint} is now ${display(url)} in this workspace's settings.`);
      }
    });
  }

  private output(): vscode.OutputChannel {
    this.channel ??= vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME);
    return this.channel;
  }
}

function setRunning(running: boolean): void {
  // package.json's `when` clauses: Start shows while it is false, Stop while it is true.
  void vscode.commands.executeCommand('setContext', ContextKeys.localEndpointRunning, running);
}

/** `http://127.0.0.1:3001`, without the lone trailing slash. */
function display(url: URL): string {
  return url.pathname === '/' ? url.origin : url.href;
}

function sameEndpoint(configured: string, url: URL): boolean {
  try {
    return new URL(configured).href === url.href;
  } catch {
    return false;
  }
}

function timestamp(): string {
  return new Date().toLocaleTimeString();
}
