import express, { type Request, type Response } from 'express';
import { verifyWebhookEndpoint, WebhookVerificationError } from '../webhook/handshake.ts';
import type { AgentDirectory, AgentResource, PartnerResource } from './agent-directory.ts';
import type { ConversationStore } from './conversation-store.ts';
import { applyUpdateMask } from './field-mask.ts';
import { GoogleApiError, invalidArgument } from './google-errors.ts';
import { any, message, parseShape, repeated, snakeCase, str } from './json-shape.ts';

/**
 * Business Communications API v1, the parts the OAuth flow touches: brands.agents get/list/
 * patch (authorizationConfig — "Authenticate with OAuth", shared/seeds/000) and partners
 * get/patch (the Business Messages webhook, verified by the clientToken/secret handshake).
 */
const agentShape = message({
  name: str,
  displayName: str,
  businessMessagesAgent: message({
    customAgentId: str,
    logoUrl: str,
    entryPointConfigs: any,
    conversationalSettings: any,
    defaultLocale: str,
    primaryAgentInteraction: any,
    additionalAgentInteractions: any,
    nonLocalConfig: any,
    phone: any,
    surveyConfig: any,
    agentTestUrl: str,
    testUrls: any,
    dialogflowAssociation: any,
    authorizationConfig: message({ endpointUrl: str }),
  }),
  verifiedSmsAgent: any,
  verifiedCallsAgent: any,
});

const partnerShape = message({
  name: str,
  displayName: str,
  company: str,
  contactEmails: repeated(str),
  dialogflowServiceAccountEmail: str,
  productCapabilities: repeated(
    message({
      product: str,
      businessMessagesCapability: message({ webhookUrl: str }),
      verifiedSmsCapability: message({ webhookUrl: str }),
    }),
  ),
});

export interface BcRoutesOptions {
  directory: AgentDirectory;
  store: ConversationStore;
  clientToken: () => string;
}

export function bcRouter(options: BcRoutesOptions): express.Router {
  const { directory, store } = options;
  const router = express.Router();

  const findAgent = (req: Request): AgentResource => {
    const name = `brands/${req.params.brand}/agents/${req.params.agent}`;
    const agent = directory.agents.get(name);
    if (!agent) throw new GoogleApiError('NOT_FOUND', `Agent ${name} not found.`);
    return agent;
  };

  router.get('/v1/brands/:brand/agents', (req: Request, res: Response) => {
    const prefix = `brands/${req.params.brand}/agents/`;
    res.json({ agents: [...directory.agents.values()].filter((a) => a.name.startsWith(prefix)) });
  });

  router.get('/v1/brands/:brand/agents/:agent', (req: Request, res: Response) => {
    res.json(findAgent(req));
  });

  router.patch('/v1/brands/:brand/agents/:agent', (req: Request, res: Response) => {
    const agent = findAgent(req);
    const patch = parseShape(req.body, agentShape, 'agent') as Record<string, unknown>;
    const next = structuredClone(agent);
    const paths = applyUpdateMask(next, patch, queryString(req, 'updateMask'), {
      mutableRoots: [
        'displayName',
        'businessMessagesAgent',
        'verifiedSmsAgent',
        'verifiedCallsAgent',
      ],
      immutable: ['name'],
    });
    // The emulator's agents are Business Messages agents: clearing that part (a mask of
    // `businessMessagesAgent` with nothing under it) would leave conversations with no agent.
    if (typeof next.businessMessagesAgent !== 'object' || next.businessMessagesAgent === null) {
      throw invalidArgument(
        'agent.business_messages_agent',
        'agent.business_messages_agent is required for a Business Messages agent.',
      );
    }
    const endpointUrl = next.businessMessagesAgent?.authorizationConfig?.endpointUrl;
    if (endpointUrl !== undefined) checkEndpointUrl(endpointUrl);
    directory.agents.set(agent.name, next);
    store.record(undefined, {
      kind: 'agent.updated',
      summary: `PATCH ${agent.name} (${paths.join(', ')})${endpointUrl ? `: endpointUrl=${endpointUrl}` : ''}`,
      data: {
        updateMask: paths,
        authorizationConfig: next.businessMessagesAgent?.authorizationConfig,
      },
    });
    res.json(next);
  });

  const findPartner = (req: Request): PartnerResource => {
    const name = `partners/${req.params.partner}`;
    if (name !== directory.partner.name)
      throw new GoogleApiError('NOT_FOUND', `Partner ${name} not found.`);
    return directory.partner;
  };

  router.get('/v1/partners/:partner', (req: Request, res: Response) => {
    res.json(findPartner(req));
  });

  router.patch('/v1/partners/:partner', async (req: Request, res: Response) => {
    const partner = findPartner(req);
    const patch = parseShape(req.body, partnerShape, 'partner') as Record<string, unknown>;
    const next = structuredClone(partner);
    applyUpdateMask(next, patch, queryString(req, 'updateMask'), {
      mutableRoots: ['displayName', 'company', 'contactEmails', 'productCapabilities'],
      immutable: ['name', 'dialogflowServiceAccountEmail'],
    });
    if (!Array.isArray(next.productCapabilities)) {
      throw invalidArgument('partner.product_capabilities', 'productCapabilities must be a list.');
    }
    const before = directory.webhookUrl();
    const after = next.productCapabilities.find((c) => c.businessMessagesCapability?.webhookUrl)
      ?.businessMessagesCapability?.webhookUrl;
    if (after && after !== before) {
      checkEndpointUrl(
        after,
        'partner.product_capabilities.business_messages_capability.webhook_url',
      );
      try {
        const result = await verifyWebhookEndpoint(after, options.clientToken());
        store.record(undefined, {
          kind: 'webhook.verified',
          summary: `webhook ${after} echoed the verification secret (${result.latencyMs} ms)`,
        });
      } catch (err) {
        const reason = err instanceof WebhookVerificationError ? err.message : String(err);
        store.record(undefined, {
          kind: 'webhook.verification-failed',
          level: 'error',
          summary: reason,
        });
        throw new GoogleApiError('FAILED_PRECONDITION', `Webhook verification failed: ${reason}`);
      }
    }
    directory.partner = next;
    res.json(next);
  });

  return router;
}

/** A FieldMask query parameter; given twice (`?updateMask=a&updateMask=b`) its paths add up. */
function queryString(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.filter((v) => typeof v === 'string').join(',');
  if (value !== undefined) throw invalidArgument(snakeCase(name), `${name} must be a string.`);
  return undefined;
}

function checkEndpointUrl(
  value: string,
  field = 'agent.business_messages_agent.authorization_config.endpoint_url',
): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidArgument(field, `${field} must be an absolute URL; got ${JSON.stringify(value)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidArgument(field, `${field} must be an http(s) URL; got ${url.protocol}.`);
  }
}
