/**
 * The editor's guard against hostile workspaces, without vscode so it can be unit-tested: the
 * texts shown when a workspace is not trusted or a file names a remote endpoint, and the
 * origins the user allowed for this workspace (kept in its workspaceState).
 */

/** workspaceState key of the origins allowed with "Send and don't ask again for this workspace". */
export const ALLOWED_ORIGINS_KEY = 'lambdaInvoke.allowedEndpointOrigins';

export const SEND = 'Send';
export const SEND_ALWAYS = "Send and don't ask again for this workspace";
export const MANAGE_TRUST = 'Manage Workspace Trust';
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/** The part of vscode.Memento this needs. */
export interface OriginMemento {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

/** Origins the user allowed for this workspace, remembered across sessions. */
export class AllowedOrigins {
  constructor(private readonly state: OriginMemento) {}

  list(): string[] {
    const stored = this.state.get<unknown>(ALLOWED_ORIGINS_KEY);
    return Array.isArray(stored) ? stored.filter((o): o is string => typeof o === 'string') : [];
  }

  has(origin: string): boolean {
    return this.list().includes(origin);
  }

  async add(origin: string): Promise<void> {
    if (!this.has(origin)) await this.state.update(ALLOWED_ORIGINS_KEY, [...this.list(), origin]);
  }
}

/** The modal question for a file that names a remote endpoint. */
export function endpointConfirmationMessage(fileLabel: string, origin: string): string {
  return `${fileLabel} asks to send your signed request and payload to ${origin}, which is not this machine. Send?`;
}

/** The detail under the question: why it is asked. */
export const ENDPOINT_CONFIRMATION_DETAIL =
  'The "endpoint" is written in the workspace file itself. Only send if you trust this repository and that server: it will receive your payload and a request signed with your AWS credentials.';

/**
 * Whether to send to `origin`: yes at once when allowed before for this workspace; otherwise
 * the user's answer to `ask` (SEND, SEND_ALWAYS, which is remembered, or anything else for no).
 */
export async function decideEndpoint(origin: string, allowed: AllowedOrigins, ask: () => PromiseLike<string | undefined>): Promise<boolean> {
  if (allowed.has(origin)) return true;
  const answer = await ask();
  if (answer === SEND_ALWAYS) {
    await allowed.add(origin);
    return true;
  }
  return answer === SEND;
}

/** Why a command that sends or runs something is off in an untrusted workspace. */
export function untrustedMessage(title: string): string {
  return (
    `Lambda Invoke: ${title} is disabled because this workspace is not trusted. ` +
    'A repository you have not trusted could use it to send your signed requests and payloads, or run its code. ' +
    'Checking .invoke.json files still works. Trust the workspace to enable it.'
  );
}
