/**
 * Typed access to the extension's settings, in one place. Values are read when asked for, so a
 * change in the settings applies to the next invocation without a reload. Ids come from
 * SettingIds (src/protocol/ids.ts).
 */
import * as vscode from 'vscode';
import { SettingIds } from '../protocol/ids';
import type { TargetOverrides } from '../protocol/targetOverrides';

export class Config {
  /** @param scope the document or folder whose settings apply (region and endpoint are per resource). */
  constructor(private readonly scope?: vscode.ConfigurationScope) {}

  get region(): string | undefined {
    return this.text(SettingIds.region);
  }

  get profile(): string | undefined {
    return this.text(SettingIds.profile);
  }

  get endpoint(): string | undefined {
    return this.text(SettingIds.endpoint);
  }

  /** `lambdaInvoke.accountLookups`: whether the editor may ask the account about its functions. */
  get accountLookups(): 'auto' | 'off' {
    return vscode.workspace.getConfiguration(undefined, this.scope).get<unknown>(SettingIds.accountLookups) === 'off' ? 'off' : 'auto';
  }

  /** `lambdaInvoke.results.fullLog`: fetch the whole log after each synchronous call, or only when asked. */
  get fullLog(): 'auto' | 'onDemand' {
    return this.setting(SettingIds.resultsFullLog) === 'onDemand' ? 'onDemand' : 'auto';
  }

  /** `lambdaInvoke.history.keepPayloads`: keep the payload bytes sent, or only their size and hash. */
  get keepPayloads(): boolean {
    return this.setting(SettingIds.historyKeepPayloads) !== false;
  }

  /** The history's bounds: entries per invocation and megabytes in all (hand-edited nonsense falls back to the defaults). */
  get historyLimits(): { maxPerInvocation: number; maxBytes: number } {
    const count = this.setting(SettingIds.historyMaxPerInvocation);
    const megabytes = this.setting(SettingIds.historyMaxSizeMb);
    return {
      maxPerInvocation: typeof count === 'number' && Number.isInteger(count) && count >= 1 ? count : 50,
      maxBytes: (typeof megabytes === 'number' && megabytes > 0 ? megabytes : 100) * 1024 * 1024,
    };
  }

  /** Whether a configuration change concerns the history's bounds. */
  static affectsHistoryLimits(event: vscode.ConfigurationChangeEvent): boolean {
    return [SettingIds.historyMaxPerInvocation, SettingIds.historyMaxSizeMb].some((id) => event.affectsConfiguration(id));
  }

  /** The settings that say where invocations go. */
  get target(): TargetOverrides {
    const settings: TargetOverrides = {};
    const { region, profile, endpoint } = this;
    if (region !== undefined) settings.region = region;
    if (profile !== undefined) settings.profile = profile;
    if (endpoint !== undefined) settings.endpoint = endpoint;
    return settings;
  }

  /** Whether a configuration change concerns account lookups (where they go, or whether they happen). */
  static affectsAccountLookups(event: vscode.ConfigurationChangeEvent): boolean {
    return Config.affectsTarget(event) || event.affectsConfiguration(SettingIds.accountLookups);
  }

  /** Whether a configuration change concerns where invocations go. */
  static affectsTarget(event: vscode.ConfigurationChangeEvent): boolean {
    return [SettingIds.region, SettingIds.profile, SettingIds.endpoint].some((id) => event.affectsConfiguration(id));
  }

  private setting(id: string): unknown {
    return vscode.workspace.getConfiguration(undefined, this.scope).get<unknown>(id);
  }

  /** A string setting, trimmed; undefined when empty or not a string (a hand-edited settings.json). */
  private text(id: string): string | undefined {
    const value = vscode.workspace.getConfiguration(undefined, this.scope).get<unknown>(id);
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
}
