/**
 * Where an invocation goes when the file does not say: the region, profile and endpoint that
 * the extension's settings, the profile/region picker or the CLI's flags choose. One shape for
 * every side: the settings the language server reads, the overrides the engine resolves below
 * the file's own fields, and the target a copied AWS CLI command names.
 */
export interface TargetOverrides {
  region?: string;
  profile?: string;
  endpoint?: string;
}
