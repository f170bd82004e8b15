/** The two extensions the activation benchmark activates: ours and the named peer. */
export const OURS = 'lambda-invoke.lambda-invoke';
export const PEER = 'vscode.json-language-features';
