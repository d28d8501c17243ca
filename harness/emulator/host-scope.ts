import type { NextFunction, Request, Response } from 'express';
import { GoogleApiError } from './google-errors.ts';

/**
 * The emulator serves every Google API on one origin, but each real host answers only its
 * own paths. Interception (harness/intercept) names the host it forwarded for in
 * `X-Forwarded-Host`; with it, a path of another API is 404, as on Google. Without this an
 * agent built with the wrong `rootUrl` (say www.googleapis.com for Business Messages) would
 * pass every test and fail in production. The control API (`/__harness`) is never a Google path.
 */
export const GOOGLE_HOST_PATHS: Readonly<Record<string, RegExp>> = {
  'businessmessages.googleapis.com': /^\/v1\/conversations(\/|$)/,
  'businesscommunications.googleapis.com': /^\/v1\/(brands|partners)(\/|$)/,
  'oauth2.googleapis.com': /^\/token$/,
  'www.googleapis.com': /^\/oauth2\/(v4\/token|v1\/certs|v3\/certs)$/,
};

export function googleHostScope(req: Request, _res: Response, next: NextFunction): void {
  const host = req.get('x-forwarded-host')?.toLowerCase().replace(/:443$/, '');
  const paths =
    host !== undefined && Object.hasOwn(GOOGLE_HOST_PATHS, host)
      ? GOOGLE_HOST_PATHS[host]
      : undefined;
  if (!paths || paths.test(req.path)) {
    next();
    return;
  }
  next(
    new GoogleApiError(
      'NOT_FOUND',
      `The requested URL ${req.path} was not found on this server (${host} does not serve it).`,
    ),
  );
}
