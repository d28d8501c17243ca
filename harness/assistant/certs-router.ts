import { Router } from 'express';
import {
  type AssistantSigningKey,
  assistantJwks,
  assistantPemMap,
  loadAssistantSigningKeys,
} from './keys.ts';

export interface AssistantCertsRouterOptions {
  keys?: AssistantSigningKey[];
  /**
   * Sent as `Cache-Control: public, max-age=N`. google-auth-library caches the certs only when
   * a max-age is present (OAuth2Client.getFederatedSignonCertsAsync), as Google's servers send.
   */
  maxAgeSeconds?: number;
}

export const DEFAULT_CERTS_MAX_AGE_SECONDS = 21_600;

/**
 * Google's federated sign-on certificate endpoints, which Assistant request verifiers fetch:
 * GET /oauth2/v1/certs (PEM map, what google-auth-library's verifyIdToken uses on Node) and
 * GET /oauth2/v3/certs (JWKS of the same keys).
 */
export function assistantCertsRouter(options: AssistantCertsRouterOptions = {}): Router {
  const keys = options.keys ?? loadAssistantSigningKeys();
  const maxAge = options.maxAgeSeconds ?? DEFAULT_CERTS_MAX_AGE_SECONDS;
  const cacheControl = `public, max-age=${maxAge}, must-revalidate, no-transform`;
  const pemMap = assistantPemMap(keys);
  const jwks = assistantJwks(keys);
  const router = Router();
  router.get('/oauth2/v1/certs', (_req, res) => {
    res.set('Cache-Control', cacheControl).json(pemMap);
  });
  router.get('/oauth2/v3/certs', (_req, res) => {
    res.set('Cache-Control', cacheControl).json(jwks);
  });
  return router;
}
