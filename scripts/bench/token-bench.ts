import { createHash, randomBytes } from 'node:crypto';
import { httpLogin } from '../../harness/login/http-login.ts';
import { TEST_CONFIDENTIAL_CLIENT } from '../../wire/defaults.ts';
import {
  BUSINESS_MESSAGES_REDIRECT_URIS,
  targetsBusinessGoogle,
} from '../../wire/redirect-uris.ts';
import { startChild } from './child.ts';
import { type ChildLoadResult, measureChild } from './measure-child.ts';

export type TokenTarget = 'ours' | 'bare' | 'oauth2-mock-server';

export class TokenBenchError extends Error {
  readonly code = 'BENCH_TOKEN';
  constructor(message: string) {
    super(message);
    this.name = 'TokenBenchError';
  }
}

const BASIC = `Basic ${Buffer.from(
  `${encodeURIComponent(TEST_CONFIDENTIAL_CLIENT.clientId)}:${encodeURIComponent(TEST_CONFIDENTIAL_CLIENT.clientSecret)}`,
).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

/**
 * One refresh token per load worker, each from a real authorization-code sign-in through
 * the target's own login pages (the walker the virtual device uses).
 */
async function signInForRefreshToken(discovery: Discovery, username: string, password: string) {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirectUri = BUSINESS_MESSAGES_REDIRECT_URIS[0];
  const authorize = new URL(discovery.authorization_endpoint);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: TEST_CONFIDENTIAL_CLIENT.clientId,
    redirect_uri: redirectUri,
    scope: 'openid profile',
    state: randomBytes(8).toString('base64url'),
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const { location } = await httpLogin({
    authorizeUrl: authorize.href,
    username,
    password,
    consent: 'allow',
    stopAt: targetsBusinessGoogle,
  });
  const code = new URL(location).searchParams.get('code');
  if (!code) throw new TokenBenchError(`sign-in ended without a code: ${location.slice(0, 80)}`);
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { authorization: BASIC, 'content-type': FORM },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    }),
  });
  const body = (await res.json()) as { refresh_token?: string; error?: string };
  if (!body.refresh_token) {
    throw new TokenBenchError(`no refresh token (HTTP ${res.status}): ${JSON.stringify(body)}`);
  }
  return body.refresh_token;
}

export interface TokenBenchOptions {
  concurrency: number;
  durationMs: number;
}

export interface TokenBenchResult extends ChildLoadResult {
  target: TokenTarget;
}

/**
 * Loads a token endpoint with `refresh_token` grants (client_secret_basic, rotation: each
 * answer's new refresh token is the worker's next request), the same requests for every
 * target. Each target runs in its own child process; this process only generates load.
 */
export async function benchTokenEndpoint(
  target: TokenTarget,
  options: TokenBenchOptions,
): Promise<TokenBenchResult> {
  const child = await startChild(['scripts/bench/servers/token-target.ts', target]);
  try {
    const origin = String(child.info.origin).replace('//localhost:', '//127.0.0.1:');
    const discovery = (await (
      await fetch(`${origin}/.well-known/openid-configuration`)
    ).json()) as Discovery;
    const tokenPath = new URL(discovery.token_endpoint).pathname;
    const tokens: string[] = [];
    if (target === 'oauth2-mock-server') {
      // It accepts any refresh token and has no users or login pages.
      for (let w = 0; w < options.concurrency; w++) tokens.push(randomBytes(16).toString('hex'));
    } else {
      for (let w = 0; w < options.concurrency; w++) {
        tokens.push(await signInForRefreshToken(discovery, 'alice', 'alice-password'));
      }
    }
    const result = await measureChild(
      child,
      {
        origin,
        concurrency: options.concurrency,
        next: (w) => ({
          method: 'POST',
          path: tokenPath,
          headers: { authorization: BASIC, 'content-type': FORM },
          body: new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: tokens[w]!,
          }).toString(),
        }),
        onResponse: (w, _status, body) => {
          const next = (JSON.parse(body) as { refresh_token?: string }).refresh_token;
          if (!next)
            throw new TokenBenchError(`answer without refresh_token: ${body.slice(0, 120)}`);
          tokens[w] = next;
        },
      },
      options.durationMs,
    );
    return { target, ...result };
  } finally {
    await child.stop();
  }
}
