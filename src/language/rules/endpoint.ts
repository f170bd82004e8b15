/**
 * The rule on an invocation's own `endpoint`: a plain http(s) URL to send the call to, with no
 * credentials in it (requests are signed) and nothing after the path.
 */
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DiagnosticCodes as C } from '../../protocol/ids';
import { quote } from '../../lambda/format';
import { type Flaw, type InvocationScope, type Report, type Rule, firstFlaw } from './rule';

/** What a URL can get wrong as an endpoint, in the order they are reported. */
const URL_FLAWS: readonly Flaw<URL>[] = [
  {
    applies: (url) => url.protocol !== 'http:' && url.protocol !== 'https:',
    message: (url) => `The endpoint must be an http:// or https:// URL, not ${url.protocol}. For example http://127.0.0.1:3001.`,
  },
  {
    applies: (url) => url.username !== '' || url.password !== '',
    message: () => 'The endpoint must not carry a user name or password: requests are signed with your AWS credentials.',
  },
  {
    applies: (url) => url.search !== '' || url.hash !== '',
    message: () => 'The endpoint must not have a query or fragment; give just the scheme, host, port and an optional path.',
  },
];

/** What is wrong with `endpoint` as an invocation's endpoint, in words; undefined when nothing is. */
export function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return `${quote(endpoint)} is not a URL. Write a full http(s) URL such as http://127.0.0.1:3001.`;
  }
  return firstFlaw(URL_FLAWS, url);
}

function checkEndpoint(scope: InvocationScope, report: Report): void {
  const endpoint = scope.invocation.value.endpoint;
  if (typeof endpoint !== 'string') return;
  const problem = endpointProblem(endpoint);
  if (problem !== undefined) report(scope.valueOf('endpoint'), problem);
}

export const ENDPOINT_RULES: readonly Rule[] = [{ code: C.endpointInvalid, severity: DiagnosticSeverity.Error, check: { invocation: checkEndpoint } }];
