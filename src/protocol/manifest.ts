/**
 * What package.json says, read from package.json: the command titles the Command Palette shows
 * (so a lens, a notification and the palette name a command the same way) and the version.
 * The extension reads its manifest at run time (`context.extension.packageJSON`, nothing added
 * to its bundle); the language server and the CLI import it, and esbuild keeps only the
 * top-level keys they use.
 */
import { CommandIds } from './ids';

export type CommandId = (typeof CommandIds)[keyof typeof CommandIds];

/** The part of a manifest read here. */
export interface ManifestCommands {
  contributes?: { commands?: readonly { command: string; title: string }[] };
}

export type CommandTitles = Readonly<Record<CommandId, string>>;

/** Every command's title as contributed; throws naming the command a manifest lacks. */
export function commandTitles(manifest: ManifestCommands): CommandTitles {
  const contributed = new Map((manifest.contributes?.commands ?? []).map((c) => [c.command, c.title]));
  const titles: Partial<Record<CommandId, string>> = {};
  for (const id of Object.values(CommandIds)) {
    const title = contributed.get(id);
    if (title === undefined) throw new Error(`package.json contributes no title for the command ${id}.`);
    titles[id] = title;
  }
  return titles as CommandTitles;
}
