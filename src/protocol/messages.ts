/**
 * What the extension and the language server say to each other beyond standard LSP. Today it is
 * the settings object the server asks for through `workspace/configuration`; custom requests
 * are declared here as they are added, so both sides import one definition.
 */
import type { TargetOverrides } from './targetOverrides';

/** The `lambdaInvoke` section the server reads through `workspace/configuration`. */
export type ServerSettings = TargetOverrides;
