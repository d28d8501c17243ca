import {
  calculatePKCECodeChallenge,
  generateRandomCodeVerifier,
  generateRandomNonce,
  generateRandomState,
} from 'oauth4webapi';
import { type Authorization, authorize, codeOf } from './authorize.ts';
import type { ProbeContext } from './context.ts';

/** One authorization the validator started, with the secrets it needs to finish it. */
export interface Flow {
  redirectUri: string;
  verifier: string;
  state: string;
  nonce: string;
  auth: Authorization;
  /** The code from the redirect, when the provider issued one. */
  code: string | undefined;
}

export interface FlowOptions {
  consent?: 'allow' | 'deny';
  /** S256 (default, what Business Messages sends), plain, or no challenge at all. */
  pkce?: 'S256' | 'plain' | 'none';
}

/**
 * Starts an authorization the way Google does for the sign-in suggestion. The state carries
 * the unreserved punctuation `-._~` so that a provider re-encoding or trimming it shows.
 */
export async function startFlow(
  ctx: ProbeContext,
  redirectUri: string,
  options: FlowOptions = {},
): Promise<Flow> {
  const verifier = generateRandomCodeVerifier();
  const state = `${generateRandomState()}-._~`;
  const nonce = generateRandomNonce();
  const pkce = options.pkce ?? 'S256';
  const challenge =
    pkce === 'none'
      ? undefined
      : pkce === 'plain'
        ? { value: verifier, method: 'plain' as const }
        : { value: await calculatePKCECodeChallenge(verifier), method: 'S256' as const };
  const auth = await authorize(ctx, {
    redirectUri,
    state,
    nonce,
    challenge,
    consent: options.consent,
  });
  return { redirectUri, verifier, state, nonce, auth, code: codeOf(auth) };
}

/** Token request fields for redeeming `flow`'s code; override or drop (undefined) any. */
export function redeemFields(
  flow: Flow,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    grant_type: 'authorization_code',
    code: flow.code,
    redirect_uri: flow.redirectUri,
    code_verifier: flow.verifier,
    ...overrides,
  };
}
