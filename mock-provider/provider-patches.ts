import type Provider from 'oidc-provider';
import type { KoaContextLike } from 'oidc-provider';
import type { MisbehaveState } from './misbehave.ts';
import { nonStandardErrorBody } from './non-standard-errors.ts';
import { redirectUriMatchesExactly, redirectUriMatchesLeniently } from './redirect-match.ts';
import { ROUTES } from './config.ts';

/**
 * Changes to one oidc-provider instance's behaviour. `provider.Client` and the token models
 * are classes created per Provider instance, so patching their prototypes affects only it.
 */
export function patchProvider(provider: Provider, misbehave: MisbehaveState): void {
  // Byte-exact string comparison (oidc-provider's own check adds a loopback-port exception
  // for native clients; these are web clients, and the misbehave switch needs a seam).
  provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value: string) {
    return misbehave.current.lenientRedirect
      ? redirectUriMatchesLeniently(value, this.redirectUris)
      : redirectUriMatchesExactly(value, this.redirectUris);
  };

  // RFC 6749 §4.1.2: a code must not be used more than once. `reusableCodes` skips marking
  // it consumed, so a second exchange succeeds instead of failing with invalid_grant.
  const consume = provider.AuthorizationCode.prototype.consume;
  provider.AuthorizationCode.prototype.consume = function consumeUnlessReusable() {
    if (misbehave.current.reusableCodes) return Promise.resolve();
    return consume.call(this);
  };

  provider.use(async (ctx, next) => {
    await next();
    rewriteTokenErrors(ctx, misbehave);
    jsonNotFound(ctx);
  });
}

function rewriteTokenErrors(ctx: KoaContextLike, misbehave: MisbehaveState): void {
  const mode = misbehave.current.nonStandardErrors;
  if (!mode || ctx.path !== ROUTES.token || ctx.status < 400) return;
  const out = (ctx.body ?? {}) as { error?: string; error_description?: string };
  const odd = nonStandardErrorBody(
    mode,
    ctx.status,
    out.error ?? 'error',
    out.error_description ?? '',
  );
  ctx.status = odd.status;
  ctx.type = odd.type;
  ctx.body = odd.body;
}

function jsonNotFound(ctx: KoaContextLike): void {
  if (ctx.status !== 404 || (ctx.body !== undefined && ctx.body !== null)) return;
  ctx.status = 404;
  ctx.type = 'json';
  ctx.body = { error: 'not_found', error_description: `no route ${ctx.method} ${ctx.path}` };
}
