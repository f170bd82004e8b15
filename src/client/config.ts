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

  /** A string setting, trimmed; undefined when empty or not a string (a hand-edited settings.json). */
  private text(id: string): string | undefined {
    const value = vscode.workspace.getConfiguration(undefined, this.scope).get<unknown>(id);
    if (typeof value !== 'string') return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }
}
