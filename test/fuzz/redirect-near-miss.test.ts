import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockProvider, type MockProvider } from '../../mock-provider/index.ts';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';

/**
 * No open redirect: for any near miss of the four registered Business Messages redirect URIs
 * (fast-check mutations: scheme, host, userinfo, port, path, query, fragment, encoding,
 * case, stray characters), the authorization endpoint answers an error page and redirects
 * nowhere. Byte-exact matching is the rule (SPEC §2 step 2). FUZZ_RUNS raises the runs.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const EXACT = new Set<string>(BUSINESS_MESSAGES_REDIRECT_URIS);

let provider: MockProvider;
beforeAll(async () => {
  provider = await createMockProvider({ port: 0, quiet: true });
});
afterAll(async () => {
  await provider.close();
});

type Mutation = (uri: string) => string;

const STRAY = [
  '/',
  '?',
  '&',
  '#',
  '.',
  '%',
  '%20',
  ' ',
  '\t',
  '\\',
  '@',
  ':',
  '=',
  ';',
  'A',
  'z',
  '0',
  '%2F',
  '%3F',
  '\u0000',
  'é',
  '\u200b',
];

const structural: fc.Arbitrary<Mutation> = fc.constantFrom<Mutation>(
  (u) => u.replace('https://', 'http://'),
  (u) => u.replace('https://', 'HTTPS://'),
  (u) => u.replace('https://', '//'),
  (u) => u.replace('business.google.com', 'business.google.com.evil.example'),
  (u) => u.replace('business.google.com', 'evil-business.google.com'),
  (u) => u.replace('business.google.com', 'business.google.com@evil.example'),
  (u) => u.replace('business.google.com', 'evil.example#business.google.com'),
  (u) => u.replace('business.google.com', 'Business.Google.com'),
  (u) => u.replace('business.google.com', 'business.google.com.'),
  (u) => u.replace('business.google.com', 'business.google.com:443'),
  (u) => u.replace('business.google.com', 'business.google.com:8443'),
  (u) => u.replace('business.google.com', 'businessXgoogle.com'),
  (u) => u.replace('business.google.com', 'business%2Egoogle.com'),
  (u) => u.replace('/callback', '/callback/'),
  (u) => u.replace('/callback', '/Callback'),
  (u) => u.replace('/callback', '/callback/../evil'),
  (u) => u.replace('/callback', '/%63allback'),
  (u) => u.replace('/message', '/messages'),
  (u) => u.replace('az-intent-type=1', 'az-intent-type=2'),
  (u) => u.replace('az-intent-type=1', 'az-intent-type=1&next=https://evil.example'),
  (u) => u.replace('az-intent-type=1', 'AZ-INTENT-TYPE=1'),
  (u) => u.replace('?', '??'),
  (u) => u.replace('&', '&&'),
  (u) => `${u}?`,
  (u) => `${u}&`,
  (u) => `${u}#`,
  (u) => `${u}#frag`,
  (u) => `${u}/`,
  (u) => `${u} `,
  (u) => ` ${u}`,
  (u) => `${u}\n`,
  (u) => `${u}%00`,
  (u) => (u.endsWith('?') || u.endsWith('&') ? u.slice(0, -1) : u),
  (u) => u.toUpperCase(),
);

const characterEdit: fc.Arbitrary<Mutation> = fc
  .tuple(fc.nat(), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...STRAY))
  .map(([at, op, ch]) => (u: string) => {
    const i = at % (u.length + 1);
    if (op === 'insert') return u.slice(0, i) + ch + u.slice(i);
    if (op === 'delete') return u.slice(0, i) + u.slice(i + 1);
    return u.slice(0, i) + ch + u.slice(i + 1);
  });

const nearMiss = fc
  .tuple(
    fc.constantFrom(...BUSINESS_MESSAGES_REDIRECT_URIS),
    fc.array(fc.oneof(structural, characterEdit), { minLength: 1, maxLength: 3 }),
  )
  .map(([uri, mutations]) => mutations.reduce((u, m) => m(u), uri as string))
  .filter((u) => !EXACT.has(u));

function authorizeUrl(clientId: string, redirectUri: string): string {
  const url = new URL(`${provider.url}/authorize`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    scope: 'openid profile',
    state: 'near-miss',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

describe('redirect URI near misses', () => {
  it('the four exact URIs are accepted (the login interaction starts)', async () => {
    for (const uri of BUSINESS_MESSAGES_REDIRECT_URIS) {
      const res = await fetch(authorizeUrl('bm-agent', uri), { redirect: 'manual' });
      expect(res.status).toBe(303);
      expect(new URL(res.headers.get('location') ?? '', provider.url).origin).toBe(
        new URL(provider.url).origin,
      );
      await res.arrayBuffer();
    }
  });

  it('no generated near miss is ever redirected to', async () => {
    await fc.assert(
      fc.asyncProperty(
        nearMiss,
        fc.constantFrom('bm-agent', 'bm-agent-public'),
        async (uri, clientId) => {
          const res = await fetch(authorizeUrl(clientId, uri), { redirect: 'manual' });
          const page = await res.text();
          expect(res.headers.get('location')).toBeNull();
          expect(res.status).toBe(400);
          // Nor by the page itself (meta refresh or script navigation).
          expect(page).not.toMatch(/http-equiv=["']?refresh|location\.(href|replace|assign)/i);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
