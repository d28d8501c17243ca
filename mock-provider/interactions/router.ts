import express, { type Request, type Response, type Router } from 'express';
import type Provider from 'oidc-provider';
import type { InteractionDetails } from 'oidc-provider';
import type { AccountDirectory, MockUser } from '../accounts.ts';
import type { EventLog } from '../event-log.ts';
import type { FaultRegistry } from '../faults.ts';
import { sendPageError } from '../oauth-response.ts';
import { renderConsentPage } from './consent-page.ts';
import type { CsrfTokens } from './csrf.ts';
import { renderLoginPage } from './login-page.ts';

export interface InteractionDeps {
  provider: Provider;
  accounts: AccountDirectory;
  faults: FaultRegistry;
  events: EventLog;
  csrf: CsrfTokens;
  headlessLogin: () => boolean;
  bodyLimit: string;
}

const ACCESS_DENIED = {
  error: 'access_denied',
  error_description: 'End-User denied the authorization request',
};

/** The login and consent pages oidc-provider sends users to (`interactions.url`). */
export function interactionRouter(deps: InteractionDeps): Router {
  const { provider, accounts, faults, events, csrf } = deps;
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: deps.bodyLimit });

  router.use('/interaction', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/interaction/:uid', async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    const clientId = details.params.client_id;
    const client = await provider.Client.find(clientId);
    const clientName = client?.clientName ?? clientId;
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';

    if (details.prompt.name === 'login') {
      const hinted = deps.headlessLogin() && hint ? accounts.byHint(hint) : undefined;
      if (hinted) {
        events.record(
          'login.success',
          { method: 'headless', uid: details.uid },
          who(clientId, hinted),
        );
        await finishConsent(req, res, details, hinted, { login: { accountId: hinted.sub } });
        return;
      }
      res
        .type('html')
        .send(renderLoginPage({ uid: details.uid, csrf: csrf.issue(details.uid), clientName }));
      return;
    }
    if (details.prompt.name === 'consent') {
      const user = accounts.bySub(details.session?.accountId ?? '');
      if (!user) throw Object.assign(new Error('session account unknown'), { statusCode: 400 });
      if (deps.headlessLogin() && hint && accounts.byHint(hint) === user) {
        await finishConsent(req, res, details, user, {});
        return;
      }
      res.type('html').send(
        renderConsentPage({
          uid: details.uid,
          csrf: csrf.issue(details.uid),
          clientId,
          clientName,
          username: user.username,
          scopes: String(details.params.scope ?? '')
            .split(' ')
            .filter(Boolean),
        }),
      );
      return;
    }
    sendPageError(
      req,
      res,
      400,
      'invalid_request',
      `unsupported interaction prompt "${details.prompt.name}"`,
    );
  });

  router.post('/interaction/:uid/login', form, async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    const clientId = details.params.client_id;
    if (!checkForm(req, res, details, 'login')) return;
    const username = typeof req.body?.username === 'string' ? req.body.username : '';
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    const user = accounts.authenticate(username, password);
    if (!user) {
      events.record('login.failed', { username, uid: details.uid }, { clientId });
      const client = await provider.Client.find(clientId);
      res
        .status(401)
        .type('html')
        .send(
          renderLoginPage({
            uid: details.uid,
            csrf: csrf.issue(details.uid),
            clientName: client?.clientName ?? clientId,
            username,
            error: 'Wrong username or password.',
          }),
        );
      return;
    }
    events.record('login.success', { method: 'form', uid: details.uid }, who(clientId, user));
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub } },
      {
        mergeWithLastSubmission: false,
      },
    );
  });

  router.post('/interaction/:uid/confirm', form, async (req, res) => {
    const details = await provider.interactionDetails(req, res);
    if (!checkForm(req, res, details, 'consent')) return;
    const user = accounts.bySub(details.session?.accountId ?? '');
    const decision = req.body?.decision;
    if (!user || (decision !== 'allow' && decision !== 'deny')) {
      sendPageError(req, res, 400, 'invalid_request', 'decision must be "allow" or "deny"');
      return;
    }
    if (decision === 'deny') {
      events.record('consent.denied', { by: 'user' }, who(details.params.client_id, user));
      await provider.interactionFinished(req, res, ACCESS_DENIED, {
        mergeWithLastSubmission: false,
      });
      return;
    }
    await finishConsent(req, res, details, user, {});
  });

  /** Grants the requested scopes, unless a scripted `user-denies` fault says otherwise. */
  async function finishConsent(
    req: Request,
    res: Response,
    details: InteractionDetails,
    user: MockUser,
    result: Record<string, unknown>,
  ): Promise<void> {
    const clientId = details.params.client_id;
    const denied = faults.take(['user-denies'], {
      client: clientId,
      username: user.username,
      sub: user.sub,
    });
    if (denied) {
      events.record('fault.applied', { kind: denied.kind, id: denied.id }, who(clientId, user));
      events.record('consent.denied', { by: 'fault' }, who(clientId, user));
      await provider.interactionFinished(
        req,
        res,
        {
          ...result,
          ...ACCESS_DENIED,
          ...(denied.description ? { error_description: denied.description } : {}),
        },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: user.sub, clientId });
    if (!grant) throw Object.assign(new Error('grant not found'), { statusCode: 400 });
    const missing = details.prompt.details as {
      missingOIDCScope?: string[];
      missingOIDCClaims?: string[];
      missingResourceScopes?: Record<string, string[]>;
    };
    if (details.prompt.name === 'login') {
      // Headless login skips the consent prompt: grant what was asked for.
      grant.addOIDCScope(String(details.params.scope ?? 'openid'));
    }
    if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
    if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    events.record('consent.allowed', { scope: details.params.scope }, who(clientId, user));
    await provider.interactionFinished(
      req,
      res,
      { ...result, consent: details.grantId ? {} : { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  function checkForm(req: Request, res: Response, details: InteractionDetails, prompt: string) {
    if (details.uid === req.params.uid && details.result) {
      // Already answered (double click, or Back then another button): the first answer
      // stands, so send the browser on to the same resume URL instead of overwriting it.
      events.record(
        'request.rejected',
        { reason: 'interaction already answered', uid: details.uid },
        { clientId: details.params.client_id },
      );
      res.redirect(303, details.returnTo);
      return false;
    }
    if (details.uid !== req.params.uid || details.prompt.name !== prompt) {
      sendPageError(
        req,
        res,
        400,
        'invalid_request',
        `this interaction is not at the ${prompt} step`,
      );
      return false;
    }
    if (!csrf.verify(details.uid, req.body?.csrf)) {
      events.record(
        'request.rejected',
        { reason: 'csrf', uid: details.uid },
        { clientId: details.params.client_id },
      );
      sendPageError(
        req,
        res,
        403,
        'invalid_request',
        'missing or wrong CSRF token; go back and reload the page, then try again',
      );
      return false;
    }
    return true;
  }

  return router;
}

function who(clientId: string, user: MockUser) {
  return { clientId, user: user.username };
}
