import type Provider from 'oidc-provider';
import type { KoaContextLike } from 'oidc-provider';
import type { AccountDirectory } from './accounts.ts';
import type { EventLog } from './event-log.ts';

interface OidcErrorLike {
  error?: string;
  error_description?: string;
  error_detail?: string;
  message?: string;
  statusCode?: number;
}

/** Records oidc-provider's own events (the OAuth steps it performs) in the event log. */
export function recordProviderEvents(
  provider: Provider,
  events: EventLog,
  accounts: AccountDirectory,
): void {
  const who = (ctx: KoaContextLike) => {
    const sub = ctx.oidc?.session?.accountId ?? ctx.oidc?.account?.accountId;
    return {
      clientId: ctx.oidc?.client?.clientId,
      user: sub ? (accounts.bySub(sub)?.username ?? sub) : undefined,
    };
  };
  const describe = (err: OidcErrorLike) => ({
    error: err.error ?? 'server_error',
    error_description: err.error_description ?? err.message,
    ...(err.error_detail ? { error_detail: err.error_detail } : {}),
    status: err.statusCode,
  });

  provider.on('authorization.success', (ctx: KoaContextLike, out?: Record<string, unknown>) => {
    events.record(
      out?.error ? 'authorization.error' : 'code.issued',
      { redirect_uri: ctx.oidc?.params?.redirect_uri, ...out },
      who(ctx),
    );
  });
  provider.on('authorization.error', (ctx: KoaContextLike, err: OidcErrorLike) => {
    events.record(
      'authorization.error',
      { ...describe(err), redirect_uri: ctx.oidc?.params?.redirect_uri },
      who(ctx),
    );
  });
  provider.on('grant.success', (ctx: KoaContextLike) => {
    const grantType = ctx.oidc?.params?.grant_type;
    events.record(
      grantType === 'refresh_token' ? 'token.refresh' : 'token.exchange',
      { grant_type: grantType },
      who(ctx),
    );
  });
  provider.on('grant.error', (ctx: KoaContextLike, err: OidcErrorLike) => {
    events.record(
      'token.error',
      { grant_type: ctx.oidc?.params?.grant_type, ...describe(err) },
      who(ctx),
    );
  });
  provider.on('server_error', (ctx: KoaContextLike, err: OidcErrorLike) => {
    events.record('server.error', { path: ctx.path, ...describe(err) }, who(ctx));
  });
}
