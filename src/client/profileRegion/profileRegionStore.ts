/**
 * The profile and region picked with Select Profile / Select Region, remembered per workspace
 * (`workspaceState`), with an event for what shows them (the status bar, the server's lenses).
 */
import * as vscode from 'vscode';
import type { ProfileRegionSelection } from './overrides';

/** workspaceState keys; declared here only. */
const StateKeys = {
  profile: 'lambdaInvoke.selectedProfile',
  region: 'lambdaInvoke.selectedRegion',
} as const;

export class ProfileRegionStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<ProfileRegionSelection>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  get current(): ProfileRegionSelection {
    const selection: ProfileRegionSelection = {};
    const profile = this.read(StateKeys.profile);
    const region = this.read(StateKeys.region);
    if (profile !== undefined) selection.profile = profile;
    if (region !== undefined) selection.region = region;
    return selection;
  }

  /** Picks a profile for this workspace; undefined clears it (back to the settings and the default chain). */
  async setProfile(profile: string | undefined): Promise<void> {
    await this.state.update(StateKeys.profile, profile);
    this.changed.fire(this.current);
  }

  /** Picks a region for this workspace; undefined clears it. */
  async setRegion(region: string | undefined): Promise<void> {
    await this.state.update(StateKeys.region, region);
    this.changed.fire(this.current);
  }

  dispose(): void {
    this.changed.dispose();
  }

  private read(key: string): string | undefined {
    const value = this.state.get<unknown>(key);
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
}
