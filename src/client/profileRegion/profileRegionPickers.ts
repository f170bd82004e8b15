/**
 * Select Profile and Select Region: QuickPicks over the profiles of the shared AWS config files
 * and the known regions (both from the engine), each with a first entry that clears the choice.
 * A region the list does not know yet may be typed in.
 */
import * as vscode from 'vscode';
import { loadEngine } from '../engineLoader';
import type { ProfileRegionStore } from './profileRegionStore';

/** What the pick resolved to; undefined when the user dismissed it. */
type Picked = { clear: true } | { clear: false; value: string };

interface PickOptions {
  title: string;
  placeholder: string;
  values: Promise<readonly string[]> | readonly string[];
  current: string | undefined;
  clearLabel: string;
  clearDetail: string;
  /** Lets a typed value not in the list be taken, when it matches. */
  typed?: { pattern: RegExp; describe: (value: string) => string };
}

interface PickItem extends vscode.QuickPickItem {
  choice: Picked;
}

/** Region codes as the `lambdaInvoke.region` setting accepts them (package.json's pattern). */
const REGION_PATTERN = /^[a-z]{2,4}(-[a-z]+)+-[0-9]+$/;

export async function selectProfile(store: ProfileRegionStore): Promise<void> {
  const current = store.current.profile;
  const picked = await pick({
    title: 'Lambda Invoke: Select Profile',
    placeholder: 'Profile for invocations in this workspace (from ~/.aws/config and ~/.aws/credentials)',
    values: loadEngine().listProfiles(),
    current,
    clearLabel: '$(clear-all) Use the default chain (clear)',
    clearDetail: 'The lambdaInvoke.profile setting, else AWS_PROFILE, else the default profile',
  });
  if (picked === undefined) return;
  await store.setProfile(picked.clear ? undefined : picked.value);
}

export async function selectRegion(store: ProfileRegionStore): Promise<void> {
  const current = store.current.region;
  const picked = await pick({
    title: 'Lambda Invoke: Select Region',
    placeholder: 'Region for invocations in this workspace (type one that is not listed)',
    values: loadEngine().listRegions(),
    current,
    clearLabel: '$(clear-all) Use the default chain (clear)',
    clearDetail: "The lambdaInvoke.region setting, else the function ARN's region, AWS_REGION, AWS_DEFAULT_REGION or the profile's",
    typed: { pattern: REGION_PATTERN, describe: (value) => `Use region ${value}` },
  });
  if (picked === undefined) return;
  await store.setRegion(picked.clear ? undefined : picked.value);
}

/** The status bar item's click: which of the two to change. */
export async function selectProfileOrRegion(store: ProfileRegionStore): Promise<void> {
  const { profile, region } = store.current;
  const items = [
    { label: '$(account) Select Profile…', description: profile ?? 'not selected', run: selectProfile },
    { label: '$(globe) Select Region…', description: region ?? 'not selected', run: selectRegion },
  ];
  const chosen = await vscode.window.showQuickPick(items, { title: 'Lambda Invoke: Where Invocations Go', placeHolder: 'Change the profile or the region' });
  if (chosen !== undefined) await chosen.run(store);
}

async function pick(options: PickOptions): Promise<Picked | undefined> {
  const quickPick = vscode.window.createQuickPick<PickItem>();
  quickPick.title = options.title;
  quickPick.placeholder = options.placeholder;
  quickPick.matchOnDescription = true;
  const clearItem: PickItem = { label: options.clearLabel, detail: options.clearDetail, choice: { clear: true } };
  let listed: PickItem[] = [];
  const refresh = () => {
    const value = quickPick.value.trim();
    const typed = options.typed;
    const extra: PickItem[] =
      typed !== undefined && typed.pattern.test(value) && !listed.some((item) => item.label === value)
        ? [{ label: value, description: typed.describe(value), alwaysShow: true, choice: { clear: false, value } }]
        : [];
    quickPick.items = [clearItem, ...extra, ...listed];
  };
  try {
    quickPick.busy = true;
    quickPick.items = [clearItem];
    quickPick.show();
    const answer = new Promise<Picked | undefined>((resolve) => {
      quickPick.onDidAccept(() => {
        const item = quickPick.selectedItems[0];
        if (item !== undefined) resolve(item.choice);
      });
      quickPick.onDidHide(() => resolve(undefined));
    });
    quickPick.onDidChangeValue(refresh);
    const values = await Promise.resolve(options.values).catch((error: unknown) => {
      quickPick.hide();
      throw error;
    });
    listed = values.map((value) => ({
      label: value,
      description: value === options.current ? 'selected' : undefined,
      choice: { clear: false, value },
    }));
    refresh();
    quickPick.busy = false;
    const currentItem = listed.find((item) => item.label === options.current);
    if (currentItem !== undefined) quickPick.activeItems = [currentItem];
    return await answer;
  } finally {
    quickPick.dispose();
  }
}
