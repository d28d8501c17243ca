/** What Google's web view puts on the authorize URL when the user taps the suggestion. */
export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  codeChallenge: string;
  codeChallengeMethod: string;
}

/**
 * Builds the authorize URL from the agent's configured `endpointUrl` (SPEC §2 step 4):
 * response_type=code, client_id, redirect_uri, scope (space-joined), state, code_challenge,
 * code_challenge_method. Query parameters already on `endpointUrl` are kept. The redirect
 * URI goes in percent-encoded, so its trailing `?` or `&` survives byte-exact.
 */
export function buildAuthorizeUrl(endpointUrl: string, params: AuthorizeParams): string {
  const url = new URL(endpointUrl);
  const query = url.searchParams;
  query.set('response_type', 'code');
  query.set('client_id', params.clientId);
  query.set('redirect_uri', params.redirectUri);
  query.set('scope', params.scopes.join(' '));
  query.set('state', params.state);
  query.set('code_challenge', params.codeChallenge);
  query.set('code_challenge_method', params.codeChallengeMethod);
  return url.toString();
}
