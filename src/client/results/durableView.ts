/**
 * A durable execution's status and history in a read-only document (GetDurableExecution and
 * GetDurableExecutionHistory through dist/catalog.js), read again with a growing pause until the
 * execution ends — or its document is closed, or the window is.
 */
import * as vscode from 'vscode';
import type { ResolvedTarget } from '../../engine/types';
import { DocumentSchemes } from '../../protocol/ids';
import { catalogBundle } from '../accountBundles';
import { fileSafe } from './resultView';

type Description = Awaited<ReturnType<ReturnType<typeof catalogBundle.load>['describeDurableExecution']>>;

/** Pauses between reads of a running execution: quick at first, then every 5 s. */
const REFRESH_MS = [1000, 2000, 3000, 5000];
/** A watch ends after this long even if the execution still runs (it can run for a year): Refresh reads it again. */
const WATCH_LIMIT_MS = 15 * 60_000;

export class DurableView implements vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly watches = new Map<string, AbortController>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      this.changed,
      vscode.workspace.registerTextDocumentContentProvider(DocumentSchemes.durable, {
        onDidChange: this.changed.event,
        provideTextDocumentContent: (uri) => this.texts.get(arnOf(uri)) ?? 'Reading the durable execution…\n',
      }),
      vscode.workspace.onDidCloseTextDocument((document) => {
        if (document.uri.scheme === DocumentSchemes.durable) this.watches.get(arnOf(document.uri))?.abort();
      }),
    ];
  }

  /** Opens the execution's document and keeps it current until the execution ends. */
  async show(arn: string, target: ResolvedTarget): Promise<void> {
    const name = arn.split('/').at(-2) ?? 'durable execution';
    const uri = vscode.Uri.from({ scheme: DocumentSchemes.durable, path: `/${fileSafe(name)} · durable execution`, query: new URLSearchParams({ arn }).toString() });
    this.watches.get(arn)?.abort();
    const controller = new AbortController();
    this.watches.set(arn, controller);
    await this.read(arn, target, uri, controller.signal);
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false, preview: false });
    void this.watch(arn, target, uri, controller);
  }

  /** Reads once; true when the execution has ended (or cannot be read). */
  private async read(arn: string, target: ResolvedTarget, uri: vscode.Uri, signal: AbortSignal): Promise<boolean> {
    const catalog = catalogBundle.load();
    let ended: boolean;
    try {
      const description = await catalog.describeDurableExecution(target, arn, signal);
      this.texts.set(arn, render(description, new Date()));
      ended = catalog.isTerminalDurableStatus(description.status);
    } catch (error) {
      if (signal.aborted) return true;
      this.texts.set(arn, `The durable execution ${arn} could not be read: ${error instanceof Error ? error.message : String(error)}\n`);
      ended = true;
    }
    this.changed.fire(uri);
    return ended;
  }

  private async watch(arn: string, target: ResolvedTarget, uri: vscode.Uri, controller: AbortController): Promise<void> {
    const started = Date.now();
    for (let i = 0; !controller.signal.aborted && Date.now() - started < WATCH_LIMIT_MS; i++) {
      const wait = REFRESH_MS[Math.min(i, REFRESH_MS.length - 1)]!;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        controller.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (controller.signal.aborted || (await this.read(arn, target, uri, controller.signal))) break;
    }
    if (this.watches.get(arn) === controller) this.watches.delete(arn);
  }

  dispose(): void {
    for (const watch of this.watches.values()) watch.abort();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

function arnOf(uri: vscode.Uri): string {
  return new URLSearchParams(uri.query).get('arn') ?? '';
}

/** The document's text: the execution's facts, then its history, one event a line. */
export function render(d: Description, readAt: Date): string {
  const rows: Array<[string, string | undefined]> = [
    ['Execution', d.name],
    ['ARN', d.arn],
    ['Function', d.functionArn],
    ['Version', d.version],
    ['Status', d.status],
    ['Started', d.startTime],
    ['Ended', d.endTime],
    ['Result', d.result],
    ['Error', d.error ? [d.error.type, d.error.message].filter(Boolean).join(': ') : undefined],
    ['Read at', readAt.toISOString()],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = rows.filter(([, value]) => value !== undefined && value !== '').map(([label, value]) => `${label.padEnd(width)}  ${value}`);
  lines.push('', `History (${d.events.length} ${d.events.length === 1 ? 'event' : 'events'})`);
  for (const event of d.events) {
    lines.push(`  ${String(event.id).padStart(3)}  ${event.time ?? ''}  ${event.type}${event.subType ? ` (${event.subType})` : ''}${event.name ? `  ${event.name}` : ''}${event.detail ? `  ${event.detail}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
