/**
 * The extension's manifest (package.json) as a Marketplace user meets it: the settings editor,
 * the Command Palette, the editor's title bar, the Getting Started walkthrough, the icon and the
 * VS Code versions it installs on. Reads the files only; nothing here imports `vscode`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CommandIds, ContextKeys, LANGUAGE_ID, SettingIds, ViewIds } from '../../src/protocol/ids';

const ROOT = path.join(__dirname, '../..');

interface Setting {
  type?: string;
  scope?: string;
  description?: string;
  markdownDescription?: string;
  order?: number;
}
interface Command {
  command: string;
  title: string;
  category?: string;
  icon?: string;
}
interface MenuItem {
  command: string;
  when?: string;
  group?: string;
}
interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: string };
  completionEvents?: string[];
}
interface Manifest {
  publisher: string;
  displayName: string;
  description: string;
  icon?: string;
  galleryBanner?: { color?: string; theme?: string };
  categories?: string[];
  keywords?: string[];
  license?: string;
  engines: { vscode: string };
  devDependencies: Record<string, string>;
  capabilities: {
    untrustedWorkspaces: { supported: boolean | 'limited'; restrictedConfigurations?: string[] };
    virtualWorkspaces?: boolean | { supported: boolean | 'limited'; description?: string };
  };
  contributes: {
    commands: Command[];
    menus: Record<string, MenuItem[]>;
    configuration: { title: string; properties: Record<string, Setting> };
    jsonValidation?: Array<{ fileMatch: string | string[]; url: string }>;
    walkthroughs?: Array<{ id: string; title: string; description: string; steps: Step[] }>;
    views?: Record<string, Array<{ id: string; name: string; when?: string }>>;
  };
}

const manifest = readJson<Manifest>('package.json');
const { contributes } = manifest;
const CATEGORY = 'Lambda Invoke';

function readJson<T>(relative: string): T {
  return JSON.parse(readFileSync(path.join(ROOT, relative), 'utf8')) as T;
}

/** `^1.91.0`, `>=1.91.0` or `1.91.0` → [1, 91, 0]. */
function versionOf(range: string): [number, number, number] {
  const match = /^(?:\^|>=|~)?(\d+)\.(\d+)\.(\d+)/.exec(range.trim());
  assert.ok(match, `"${range}" is not a version range this test understands (^x.y.z, >=x.y.z, ~x.y.z or x.y.z)`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function compare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function paletteWhen(id: string): string | undefined {
  return (contributes.menus.commandPalette ?? []).find((item) => item.command === id)?.when;
}

describe('manifest: the Marketplace listing', () => {
  test('names, icon, banner and license are set', () => {
    assert.equal(manifest.publisher, 'lambda-invoke');
    assert.ok(manifest.displayName.trim() !== '', 'displayName is empty');
    assert.ok(manifest.description.length >= 40 && manifest.description.length <= 300, `description is ${manifest.description.length} characters; keep it one or two sentences`);
    assert.equal(manifest.icon, 'images/icon.png', 'icon should be the 128×128 PNG (the Marketplace takes no SVG)');
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-fA-F]{6}$/, 'galleryBanner.color should be a #rrggbb colour');
    assert.ok(manifest.galleryBanner?.theme === 'dark' || manifest.galleryBanner?.theme === 'light', 'galleryBanner.theme should be dark or light');
    assert.equal(manifest.license, 'MIT');
    assert.ok(existsSync(path.join(ROOT, 'LICENSE')), 'license MIT is declared but there is no LICENSE file');
  });

  test('categories are Marketplace categories, keywords at most 30 and unique', () => {
    const allowed = new Set([
      'AI', 'Azure', 'Chat', 'Data Science', 'Debuggers', 'Education', 'Extension Packs', 'Formatters', 'Keymaps', 'Language Packs',
      'Linters', 'Machine Learning', 'Notebooks', 'Other', 'Programming Languages', 'SCM Providers', 'Snippets', 'Testing', 'Themes', 'Visualization',
    ]);
    assert.ok((manifest.categories ?? []).length > 0, 'no categories');
    for (const category of manifest.categories ?? []) assert.ok(allowed.has(category), `"${category}" is not a Marketplace category`);
    const keywords = manifest.keywords ?? [];
    assert.ok(keywords.length > 0 && keywords.length <= 30, `${keywords.length} keywords; the Marketplace takes at most 30`);
    assert.equal(new Set(keywords.map((k) => k.toLowerCase())).size, keywords.length, `duplicate keywords in ${JSON.stringify(keywords)}`);
  });

  test('the icon is a PNG of exactly 128×128 pixels', () => {
    const bytes = readFileSync(path.join(ROOT, manifest.icon ?? 'images/icon.png'));
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(bytes.subarray(0, 8).equals(signature), `${manifest.icon} does not start with the PNG signature`);
    assert.equal(bytes.toString('latin1', 12, 16), 'IHDR', `${manifest.icon}: the first chunk is not IHDR`);
    assert.equal(bytes.readUInt32BE(16), 128, `${manifest.icon} is ${bytes.readUInt32BE(16)} pixels wide, not 128`);
    assert.equal(bytes.readUInt32BE(20), 128, `${manifest.icon} is ${bytes.readUInt32BE(20)} pixels high, not 128`);
  });
});

describe('manifest: VS Code versions', () => {
  const engine = versionOf(manifest.engines.vscode);

  test('engines.vscode is not lower than what vscode-languageclient requires', () => {
    const client = readJson<{ engines: { vscode: string } }>('node_modules/vscode-languageclient/package.json');
    assert.ok(
      compare(engine, versionOf(client.engines.vscode)) >= 0,
      `engines.vscode ${manifest.engines.vscode} is lower than vscode-languageclient's engines.vscode ${client.engines.vscode}: the client would not run there`,
    );
  });

  test('@types/vscode is not newer than engines.vscode (vsce refuses to package otherwise)', () => {
    const declared = manifest.devDependencies['@types/vscode'];
    assert.ok(declared, '@types/vscode is not in devDependencies');
    const installed = readJson<{ version: string }>('node_modules/@types/vscode/package.json').version;
    for (const [what, version] of [
      ['devDependencies["@types/vscode"]', declared],
      ['the installed @types/vscode', installed],
    ] as const) {
      assert.ok(
        compare(versionOf(version).slice(0, 2), engine.slice(0, 2)) <= 0,
        `${what} is ${version}, newer than engines.vscode ${manifest.engines.vscode}: APIs could be used that the oldest supported VS Code lacks`,
      );
    }
  });
});

describe('manifest: capabilities', () => {
  test('untrusted workspaces: restricted settings are contributed ones', () => {
    const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations ?? [];
    for (const id of restricted) assert.ok(id in contributes.configuration.properties, `restrictedConfigurations names ${id}, which is not a contributed setting`);
  });

  test('virtual workspaces: an answer with a reason', () => {
    const virtual = manifest.capabilities.virtualWorkspaces;
    assert.ok(typeof virtual === 'object', 'capabilities.virtualWorkspaces should be an object with supported and description');
    assert.ok(virtual.supported !== true, 'payload files and the local endpoint need a disk: virtual workspaces cannot be fully supported');
    assert.ok((virtual.description ?? '').length > 20, 'capabilities.virtualWorkspaces needs a description saying what does not work');
  });
});

describe('manifest: settings', () => {
  const properties = contributes.configuration.properties;
  const validScopes = new Set(['application', 'machine', 'machine-overridable', 'window', 'resource', 'language-overridable']);

  test('every setting of SettingIds is contributed, and only those', () => {
    const ids = Object.entries(SettingIds)
      .filter(([key]) => key !== 'section')
      .map(([, id]) => id)
      .sort();
    assert.deepEqual(Object.keys(properties).sort(), ids, 'contributes.configuration.properties and SettingIds (src/protocol/ids.ts) differ');
  });

  for (const [id, setting] of Object.entries(properties)) {
    test(`${id}: scope, markdownDescription and order`, () => {
      assert.ok(setting.scope !== undefined && validScopes.has(setting.scope), `${id} has scope ${JSON.stringify(setting.scope)}; give it one of ${[...validScopes].join(', ')}`);
      assert.ok((setting.markdownDescription ?? '').trim().length > 20, `${id} has no markdownDescription`);
      assert.equal(setting.description, undefined, `${id} has a plain description as well as a markdownDescription; keep only the markdown one`);
      assert.equal(typeof setting.order, 'number', `${id} has no order, so the settings editor sorts it alphabetically`);
      for (const [, linked] of (setting.markdownDescription ?? '').matchAll(/`#([\w.]+)#`/g)) {
        assert.ok(linked !== undefined && linked in properties, `${id}'s markdownDescription links to #${linked}#, which is not a contributed setting`);
      }
    });
  }

  test('where invocations go is per folder; traces per window', () => {
    assert.equal(properties[SettingIds.region]?.scope, 'resource', `${SettingIds.region} should be settable per workspace folder`);
    assert.equal(properties[SettingIds.endpoint]?.scope, 'resource', `${SettingIds.endpoint} should be settable per workspace folder`);
    assert.ok(
      ['resource', 'machine-overridable'].includes(properties[SettingIds.profile]?.scope ?? ''),
      `${SettingIds.profile} should be settable per workspace folder (resource or machine-overridable)`,
    );
    assert.equal(properties[SettingIds.traceServer]?.scope, 'window', `${SettingIds.traceServer} concerns the one language server of the window`);
  });

  test('the settings have distinct orders', () => {
    const orders = Object.values(properties).map((setting) => setting.order);
    assert.equal(new Set(orders).size, orders.length, `two settings share an order: ${JSON.stringify(orders)}`);
  });
});

describe('manifest: views', () => {
  const views = Object.values(contributes.views ?? {}).flat();

  test('every view of ViewIds is contributed, and only those', () => {
    assert.deepEqual(views.map((v) => v.id).sort(), Object.values(ViewIds).sort());
  });

  test('the Lambda Functions view sits in the Explorer, hidden until the extension says it is useful', () => {
    const view = (contributes.views?.explorer ?? []).find((v) => v.id === ViewIds.functions);
    assert.ok(view, 'in the Explorer');
    assert.equal(view.name, 'Lambda Functions');
    assert.equal(view.when, ContextKeys.functionsViewEnabled);
  });

  test('its title bar refreshes it; its items offer a new invoke file and Copy ARN, and only there', () => {
    const title = contributes.menus['view/title'] ?? [];
    const items = contributes.menus['view/item/context'] ?? [];
    assert.ok(title.some((m) => m.command === CommandIds.refreshFunctions && m.when === `view == ${ViewIds.functions}`));
    for (const id of [CommandIds.newInvokeFileForFunction, CommandIds.copyFunctionArn]) {
      assert.ok(items.some((m) => m.command === id && m.when?.startsWith(`view == ${ViewIds.functions}`)), `${id} on the view's items`);
      // They need a function of the view: the palette has nothing to give them.
      assert.equal(contributes.menus.commandPalette?.find((m) => m.command === id)?.when, 'false', `${id} is hidden from the palette`);
    }
  });
});

describe('manifest: commands', () => {
  const contributed = contributes.commands.map((command) => command.command);

  test('every command of CommandIds is contributed, and only those', () => {
    const ids = Object.values(CommandIds);
    for (const id of ids) assert.ok(contributed.includes(id), `${id} (CommandIds) is not in contributes.commands`);
    for (const id of contributed) assert.ok((ids as readonly string[]).includes(id), `${id} is contributed but not in CommandIds (src/protocol/ids.ts)`);
    assert.equal(new Set(contributed).size, contributed.length, 'a command is contributed twice');
  });

  for (const command of contributes.commands) {
    test(`${command.command}: category "${CATEGORY}" and a title without it`, () => {
      assert.equal(command.category, CATEGORY, `${command.command} should have category "${CATEGORY}"`);
      assert.ok(!command.title.toLowerCase().startsWith(CATEGORY.toLowerCase()), `${command.command}'s title "${command.title}" repeats the category, shown as "${CATEGORY}: ${command.title}"`);
      assert.ok(command.title.trim() !== '', `${command.command} has an empty title`);
    });
  }

  test('menus name only contributed commands', () => {
    for (const [menu, items] of Object.entries(contributes.menus)) {
      for (const item of items) assert.ok(contributed.includes(item.command), `menus.${menu} names ${item.command}, which is not contributed`);
    }
  });

  test('commands about one invoke file show in the palette only in an invoke file editor', () => {
    for (const id of [CommandIds.invoke, CommandIds.dryRun, CommandIds.copyAsAwsCliCommand]) {
      const when = paletteWhen(id);
      assert.ok(when?.includes(`editorLangId == ${LANGUAGE_ID}`), `${id} would show in the palette outside .invoke.json editors (when: ${JSON.stringify(when)}); with no argument it needs one`);
    }
  });

  test('commands that work anywhere are not hidden', () => {
    for (const id of [CommandIds.newInvokeFile, CommandIds.showOutput, CommandIds.selectProfile, CommandIds.selectRegion]) {
      assert.equal(paletteWhen(id), undefined, `${id} works from anywhere but has a palette when clause ${JSON.stringify(paletteWhen(id))}`);
    }
  });

  test('the status bar item\'s pick (Select Profile or Region) never shows in the palette', () => {
    const when = paletteWhen(CommandIds.selectProfileOrRegion);
    assert.equal(when, 'false', `${CommandIds.selectProfileOrRegion} is what the status bar item runs; in the palette it would sit beside Select Profile and Select Region (when: ${JSON.stringify(when)})`);
  });

  test('Start Local Endpoint hides while it runs, Stop while it does not, on the key the extension sets', () => {
    const key = ContextKeys.localEndpointRunning;
    assert.equal(paletteWhen(CommandIds.startLocalEndpoint), `!${key}`, `Start Local Endpoint should hide while ${key} is true`);
    assert.equal(paletteWhen(CommandIds.stopLocalEndpoint), key, `Stop Local Endpoint should show only while ${key} is true`);
  });

  test('the editor title bar runs Invoke on invoke files, with an icon', () => {
    const items = contributes.menus['editor/title'] ?? [];
    const invoke = items.find((item) => item.command === CommandIds.invoke);
    assert.ok(invoke, 'no editor/title entry for Invoke');
    assert.equal(invoke.group, 'navigation', 'the Invoke button should be in the navigation group, to show as an icon');
    assert.ok(invoke.when?.includes(`resourceLangId == ${LANGUAGE_ID}`), `the Invoke button would show on other files (when: ${JSON.stringify(invoke.when)})`);
    for (const item of items.filter((entry) => entry.group?.startsWith('navigation'))) {
      const icon = contributes.commands.find((command) => command.command === item.command)?.icon;
      assert.match(icon ?? '', /^\$\([a-z0-9-]+\)$/, `${item.command} is in the title bar but has no codicon icon; it would show as text`);
    }
  });
});

describe('manifest: Getting Started walkthrough', () => {
  const walkthroughs = contributes.walkthroughs ?? [];
  const contributed = new Set(contributes.commands.map((command) => command.command));

  test('lambdaInvoke.gettingStarted exists, with a title, a description and steps', () => {
    const walkthrough = walkthroughs.find((w) => w.id === 'lambdaInvoke.gettingStarted');
    assert.ok(walkthrough, 'no walkthrough lambdaInvoke.gettingStarted');
    assert.ok(walkthrough.title.trim() !== '' && walkthrough.description.trim() !== '', 'the walkthrough needs a title and a description');
    assert.ok(walkthrough.steps.length >= 5, `the walkthrough has ${walkthrough.steps.length} steps; expected create, profile and Region, invoke, output, local endpoint`);
    assert.equal(new Set(walkthrough.steps.map((step) => step.id)).size, walkthrough.steps.length, 'two steps share an id');
  });

  for (const walkthrough of walkthroughs) {
    for (const step of walkthrough.steps) {
      test(`step ${step.id}: its media exists and its buttons and events name contributed commands`, () => {
        const media = step.media.markdown ?? step.media.image;
        assert.ok(media, `step ${step.id} has no media`);
        assert.ok(media.startsWith('walkthrough/'), `step ${step.id}'s media ${media} is outside walkthrough/, which .vscodeignore lets into the package`);
        assert.ok(existsSync(path.join(ROOT, media)), `step ${step.id}'s media ${media} does not exist`);
        for (const [, id] of step.description.matchAll(/\]\(command:([\w.]+)/g)) {
          assert.ok(id !== undefined && contributed.has(id), `step ${step.id} links to command:${id}, which is not contributed`);
        }
        const events = step.completionEvents ?? [];
        assert.ok(events.length > 0, `step ${step.id} has no completionEvents, so it is never checked off`);
        for (const event of events) {
          const id = /^onCommand:(.+)$/.exec(event)?.[1];
          if (id !== undefined) assert.ok(contributed.has(id), `step ${step.id} completes on ${event}, which is not a contributed command`);
        }
      });
    }
  }
});

describe('manifest: JSON validation', () => {
  test('every jsonValidation schema ships in the package and is a JSON schema', () => {
    const entries = contributes.jsonValidation ?? [];
    assert.ok(entries.some((entry) => entry.fileMatch === 'lambda-invoke.local.json'), 'lambda-invoke.local.json gets no schema');
    for (const entry of entries) {
      assert.ok(entry.url.startsWith('./schemas/'), `${entry.url} is outside schemas/, which .vscodeignore lets into the package`);
      const file = path.join(ROOT, entry.url);
      assert.ok(existsSync(file), `jsonValidation url ${entry.url} does not exist`);
      const schema = readJson<{ $schema?: string }>(entry.url);
      assert.match(schema.$schema ?? '', /json-schema\.org/, `${entry.url} does not declare a JSON Schema draft`);
    }
  });
});
