/**
 * Bench child: one token endpoint to load, on an ephemeral loopback port.
 *   node scripts/bench/servers/token-target.ts ours|bare|oauth2-mock-server
 * Prints {"ready":true,"origin":...,"tokenPath":...} once listening; stops on SIGTERM.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Server } from 'oauth2-mock-server';
import Provider from 'oidc-provider';
import { createMockProvider } from '../../../mock-provider/index.ts';
import { loadClients } from '../../../mock-provider/clients.ts';
import { testSigningJwks } from '../../../mock-provider/keys.ts';

const kind = process.argv[2];
let close: () => Promise<void>;
let origin: string;

if (kind === 'ours') {
  const provider = await createMockProvider({ port: 0, quiet: true });
  origin = provider.url;
  close = () => provider.close();
} else if (kind === 'bare') {
  // A bare oidc-provider: the same clients and signing key as ours, refresh tokens issued
  // and rotated as ours does (so both do the same work per request); everything else is
  // oidc-provider's defaults, including its development login pages.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(origin, {
    clients: loadClients().map((c) => ({ ...c, redirect_uris: [...c.redirect_uris] })),
    jwks: await testSigningJwks(),
    issueRefreshToken: async (_ctx: unknown, client: { grantTypeAllowed(t: string): boolean }) =>
      client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
  } as never);
  server.on('request', provider.callback());
  close = () => new Promise((resolve) => server.close(() => resolve()));
} else if (kind === 'oauth2-mock-server') {
  const server = new OAuth2Server();
  await server.issuer.keys.generate('RS256');
  await server.start(0, '127.0.0.1');
  origin = server.issuer.url ?? '';
  close = () => server.stop();
} else {
  process.stderr.write('usage: token-target.ts ours|bare|oauth2-mock-server\n');
  process.exit(2);
}

process.on('SIGTERM', () => {
  void close().finally(() => process.exit(0));
});
process.stdout.write(`${JSON.stringify({ ready: true, kind, origin, pid: process.pid })}\n`);
