import type { AuthorizationServer } from 'oauth4webapi';
import type { LoginDriver } from './drivers/driver.ts';

/** What the checks share: the provider's metadata, the client, the login driver. */
export interface ProbeContext {
  issuer: string;
  server: AuthorizationServer;
  clientId: string;
  clientSecret: string | undefined;
  /** Space-separated scopes to ask for. */
  scope: string;
  driver: LoginDriver;
  fetch: typeof fetch;
}

export function wantsOpenId(ctx: ProbeContext): boolean {
  return ctx.scope.split(/\s+/).includes('openid');
}

/**
 * Client authentication at the token endpoint (RFC 6749 §2.3.1): HTTP Basic unless the
 * provider advertises only client_secret_post; public clients send client_id in the body.
 */
export function clientAuthMethod(
  ctx: ProbeContext,
): 'client_secret_basic' | 'client_secret_post' | 'none' {
  if (ctx.clientSecret === undefined) return 'none';
  const supported = ctx.server.token_endpoint_auth_methods_supported;
  if (
    supported &&
    !supported.includes('client_secret_basic') &&
    supported.includes('client_secret_post')
  ) {
    return 'client_secret_post';
  }
  return 'client_secret_basic';
}
