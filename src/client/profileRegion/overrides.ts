/**
 * The "settings" level of the precedence file > selection > setting > environment: the profile
 * and region picked for this workspace (Select Profile / Select Region) win over the
 * `lambdaInvoke.*` settings, and together they are the overrides handed to the engine. Pure
 * logic, no `vscode` import; unit-tested in test/unit/clientLogic.test.ts.
 */
import type { InvocationRequest, ResolvedTarget } from '../../engine/types';
import { AwsEnvironment } from '../../lambda/environment';
import { relativeInside } from '../../protocol/workspacePaths';
import type { TargetOverrides } from '../../protocol/targetOverrides';

/** What the user picked for this workspace; absent means "not picked, fall through". */
export type ProfileRegionSelection = Pick<TargetOverrides, 'profile' | 'region'>;

/** The overrides for the engine: the selection where made, else the setting; blanks dropped. */
export function buildOverrides(selection: ProfileRegionSelection, settings: TargetOverrides): TargetOverrides {
  const overrides: TargetOverrides = {};
  const profile = firstSet(selection.profile, settings.profile);
  const region = firstSet(selection.region, settings.region);
  const endpoint = firstSet(settings.endpoint);
  if (profile !== undefined) overrides.profile = profile;
  if (region !== undefined) overrides.region = region;
  if (endpoint !== undefined) overrides.endpoint = endpoint;
  return overrides;
}

function firstSet(...values: (string | undefined)[]): string | undefined {
  for (const value of values) {
    const trimmed = value?.trim();
    if (trimmed !== undefined && trimmed !== '') return trimmed;
  }
  return undefined;
}

/**
 * The `lambdaInvoke` settings object the language server asks for, with the selection laid over
 * it, so its lenses name the region an invocation will really use. Anything that is not a
 * settings object is passed through untouched.
 */
export function overlaySelection(settings: unknown, selection: ProfileRegionSelection): unknown {
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return settings;
  const result: Record<string, unknown> = { ...(settings as Record<string, unknown>) };
  const profile = firstSet(selection.profile);
  const region = firstSet(selection.region);
  if (profile !== undefined) result.profile = profile;
  if (region !== undefined) result.region = region;
  return result;
}

/** The process environment, of which the status bar reads the variables below. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** The variables the engine falls back on after the settings, in its order. */
const EnvVars = AwsEnvironment;

/**
 * The status bar text, `$(cloud) profile · region`, with what applies when nothing is picked:
 * the setting, else the environment; the profile's own region is not read here (that takes
 * the engine), so without any of these the region shows as the default.
 */
export function statusBarText(selection: ProfileRegionSelection, settings: TargetOverrides, env: Environment = {}): string {
  const overrides = buildOverrides(selection, settings);
  const profile = overrides.profile ?? firstSet(env[EnvVars.profile]) ?? 'default profile';
  const region = overrides.region ?? firstSet(env[EnvVars.region], env[EnvVars.defaultRegion]) ?? 'default region';
  return `$(cloud) ${profile} · ${region}`;
}

/** The status bar tooltip: where each value comes from, and what a click does. */
export function statusBarTooltip(selection: ProfileRegionSelection, settings: TargetOverrides, env: Environment = {}): string {
  const describe = (what: string, picked: string | undefined, setting: string | undefined, fromEnv: [string, string | undefined][], fallback: string) => {
    const chosen = firstSet(picked);
    if (chosen !== undefined) return `${what} ${chosen}, selected for this workspace`;
    const configured = firstSet(setting);
    if (configured !== undefined) return `${what} ${configured}, from the settings`;
    const variable = fromEnv.find(([, value]) => firstSet(value) !== undefined);
    if (variable !== undefined) return `${what} ${firstSet(variable[1])}, from ${variable[0]}`;
    return `${what}: ${fallback}`;
  };
  return [
    'Lambda Invoke: where invocations go, unless the file names its own',
    describe('Profile', selection.profile, settings.profile, [[EnvVars.profile, env[EnvVars.profile]]], 'the default profile'),
    describe(
      'Region',
      selection.region,
      settings.region,
      [
        [EnvVars.region, env[EnvVars.region]],
        [EnvVars.defaultRegion, env[EnvVars.defaultRegion]],
      ],
      "the function ARN's, else the profile's",
    ),
    'Click to select a profile or region.',
  ].join('\n');
}

/**
 * What the copied CLI command names. Resolved, it is what the extension would use: the region
 * always (the CLI may otherwise pick another) and the endpoint when not the standard one.
 * Unresolved (no region anywhere, say), it is what the file, the selection and the settings
 * say. The profile only when one was asked for (file, selection or setting): the CLI reads
 * `AWS_PROFILE` itself, and with `--profile` it would skip credentials from the environment.
 */
export function cliTarget(
  request: Pick<InvocationRequest, 'region' | 'profile' | 'endpoint'>,
  overrides: TargetOverrides,
  resolved?: Pick<ResolvedTarget, 'region' | 'endpoint' | 'isDefaultEndpoint'>,
): TargetOverrides {
  const target: TargetOverrides = {};
  const profile = firstSet(request.profile, overrides.profile);
  const region = resolved?.region ?? firstSet(request.region, overrides.region);
  const endpoint = resolved !== undefined ? (resolved.isDefaultEndpoint ? undefined : endpointText(resolved.endpoint)) : firstSet(request.endpoint, overrides.endpoint);
  if (region !== undefined) target.region = region;
  if (profile !== undefined) target.profile = profile;
  if (endpoint !== undefined) target.endpoint = endpoint;
  return target;
}

/**
 * A payload file's path for `fileb://`, relative to the workspace folder that holds it (with
 * `/`, which the CLI takes on every system), so the command runs from that folder on any
 * machine with the same checkout. Undefined when no folder holds it (the absolute path stays).
 */
export function workspaceRelativePath(file: string, workspaceRoots: readonly string[]): { path: string; root: string } | undefined {
  for (const root of workspaceRoots) {
    const relative = relativeInside(root, file);
    if (relative !== undefined) return { path: relative, root };
  }
  return undefined;
}

/** An endpoint URL as a user writes it: `http://localhost:4566`, without the bare `/` URL adds. */
function endpointText(endpoint: URL): string {
  return endpoint.pathname === '/' && endpoint.search === '' ? endpoint.origin : endpoint.href;
}
