/**
 * The environment variables the AWS SDKs and the AWS CLI read, by role, as their shared
 * configuration documentation names them. The engine resolves with them; the status bar shows
 * which one applies.
 */
export const AwsEnvironment = {
  profile: 'AWS_PROFILE',
  region: 'AWS_REGION',
  defaultRegion: 'AWS_DEFAULT_REGION',
  lambdaEndpoint: 'AWS_ENDPOINT_URL_LAMBDA',
  endpoint: 'AWS_ENDPOINT_URL',
  ignoreConfiguredEndpoints: 'AWS_IGNORE_CONFIGURED_ENDPOINT_URLS',
  configFile: 'AWS_CONFIG_FILE',
  credentialsFile: 'AWS_SHARED_CREDENTIALS_FILE',
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
  webIdentityTokenFile: 'AWS_WEB_IDENTITY_TOKEN_FILE',
} as const;
