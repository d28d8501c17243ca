import { afterEach, describe, expect, it } from 'vitest';
import { type HtmlTestServer, startHtmlServer } from '../login/test-support/html-test-server.ts';
import { discover, oidcDiscoveryUrl, rfc8414DiscoveryUrl } from './discovery.ts';
import { ValidatorError } from './errors.ts';

const servers: HtmlTestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const json = (body: unknown) => ({
  headers: { 'content-type': 'application/json' },
  html: JSON.stringify(body),
});
const metadata = (issuer: string, extra: Record<string, unknown> = {}) => ({
  issuer,
  authorization_endpoint: `${issuer}/auth`,
  token_endpoint: `${issuer}/token`,
  response_types_supported: ['code'],
  code_challenge_methods_supported: ['S256'],
  ...extra,
});

async function serve(handler: Parameters<typeof startHtmlServer>[0]) {
  const server = await startHtmlServer(handler);
  servers.push(server);
  return server;
}

describe('discovery', () => {
  it('builds OIDC and RFC 8414 locations for issuers with a path', () => {
    expect(oidcDiscoveryUrl('https://a.example/t/1')).toBe(
      'https://a.example/t/1/.well-known/openid-configuration',
    );
    expect(rfc8414DiscoveryUrl('https://a.example/t/1')).toBe(
      'https://a.example/.well-known/oauth-authorization-server/t/1',
    );
    expect(rfc8414DiscoveryUrl('https://a.example')).toBe(
      'https://a.example/.well-known/oauth-authorization-server',
    );
  });

  it('follows redirects to the metadata', async () => {
    const server = await serve((req, base) =>
      req.url.pathname === '/.well-known/openid-configuration'
        ? { status: 301, headers: { location: '/meta.json' } }
        : req.url.pathname === '/meta.json'
          ? json(metadata(base))
          : { status: 404 },
    );
    const { checks } = await discover(server.url, fetch);
    expect(checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'discovery:pass',
      'discovery-pkce-s256:pass',
    ]);
    expect(checks[0]!.evidence[0]).toContain('redirected to');
  });

  it('fails when the issuer in the document differs, and warns when S256 is not advertised', async () => {
    const server = await serve((req, base) =>
      req.url.pathname === '/.well-known/openid-configuration'
        ? json(metadata(`${base}/`, { code_challenge_methods_supported: undefined }))
        : { status: 404 },
    );
    const { checks } = await discover(server.url, fetch);
    expect(checks[0]).toMatchObject({ id: 'discovery', status: 'fail' });
    expect(checks[0]!.detail).toContain('must be identical');
    expect(checks[1]).toMatchObject({ id: 'discovery-pkce-s256', status: 'warn' });
  });

  it('fails discovery-pkce-s256 when only plain is advertised', async () => {
    const server = await serve((req, base) =>
      req.url.pathname === '/.well-known/oauth-authorization-server'
        ? json(metadata(base, { code_challenge_methods_supported: ['plain'] }))
        : { status: 404 },
    );
    const { checks } = await discover(server.url, fetch);
    expect(checks[0]!.spec).toContain('RFC8414 3');
    expect(checks[1]!.status).toBe('fail');
  });

  it('fails a non-loopback http issuer (https required)', async () => {
    const server = await serve((req) =>
      req.url.pathname === '/.well-known/openid-configuration'
        ? json(metadata('http://idp.example'))
        : { status: 404 },
    );
    // Reach the test server under a non-loopback name by rewriting requests to it.
    const viaName: typeof fetch = (url, init) =>
      fetch(String(url).replace('http://idp.example', server.url), init);
    const { checks } = await discover('http://idp.example', viaName);
    expect(checks[0]!.status).toBe('fail');
    expect(checks[0]!.detail).toContain('must use https');
  });

  it('is a harness error when no metadata exists or the issuer is unreachable', async () => {
    const server = await serve(() => ({ status: 404, html: 'nope' }));
    const missing = await discover(server.url, fetch).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ValidatorError);
    expect((missing as ValidatorError).code).toBe('discovery_not_found');
    const dead = await serve(() => ({}));
    const url = dead.url;
    await dead.close();
    servers.pop();
    const unreachable = await discover(url, fetch).catch((e: unknown) => e);
    expect((unreachable as ValidatorError).code).toBe('issuer_unreachable');
  });
});
