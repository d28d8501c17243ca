import express, { type Request, type Response } from 'express';
import { TEST_USERS } from '../../wire/defaults.ts';
import { BUSINESS_MESSAGES_REDIRECT_URIS } from '../../wire/redirect-uris.ts';
import type { VirtualDevice } from '../device/virtual-device.ts';
import type { AgentDirectory } from './agent-directory.ts';
import {
  BEHAVIORS,
  type Behavior,
  type Conversation,
  type ConversationStore,
  conversationView,
  type VirtualUser,
} from './conversation-store.ts';
import { GoogleApiError, invalidArgument } from './google-errors.ts';
import { limitJsonDepth } from './json-body.ts';
import { userEventPayload } from './user-events.ts';
import type { WebhookSender } from './webhook-sender.ts';

/** Control API of the emulator for tests and the CLI (not a Google API): `/__harness/...`. */
export interface HarnessRoutesOptions {
  store: ConversationStore;
  directory: AgentDirectory;
  sender: WebhookSender;
  device: VirtualDevice;
}

export interface StartConversationInput {
  user?: string;
  password?: string;
  displayName?: string;
  locale?: string;
  behavior?: Behavior;
  redirectUri?: string;
  /** First thing the user writes; default "Hi". */
  text?: string;
  agent?: string;
}

const DISPLAY_NAMES: Record<string, string> = { alice: 'Alice', bob: 'Bob' };

export function resolveUser(input: StartConversationInput): VirtualUser {
  const username = input.user ?? 'alice';
  const known = (TEST_USERS as Record<string, { password: string } | undefined>)[username];
  const password = input.password ?? known?.password;
  if (!password) {
    throw invalidArgument(
      'password',
      `user ${JSON.stringify(username)} is not a test user; pass "password" too.`,
    );
  }
  return {
    username,
    password,
    displayName: input.displayName ?? DISPLAY_NAMES[username] ?? username,
    locale: input.locale ?? 'en',
  };
}

/** Opens a conversation and has the virtual user write the first message to the agent. */
export function startConversation(
  options: HarnessRoutesOptions,
  input: StartConversationInput,
): Conversation {
  for (const field of [
    'user',
    'password',
    'displayName',
    'locale',
    'redirectUri',
    'text',
    'agent',
  ] as const) {
    const value = input[field];
    if (value !== undefined && (typeof value !== 'string' || value === '')) {
      throw invalidArgument(field, `${field} must be a non-empty string.`);
    }
  }
  const behavior = input.behavior ?? 'tap';
  if (!BEHAVIORS.includes(behavior)) {
    throw invalidArgument(
      'behavior',
      `behavior must be one of ${BEHAVIORS.join(', ')}; got ${JSON.stringify(behavior)}.`,
    );
  }
  const agent = input.agent ?? options.directory.defaultAgent().name;
  if (!options.directory.agents.has(agent))
    throw new GoogleApiError('NOT_FOUND', `Agent ${agent} not found.`);
  const conversation = options.store.create({
    agent,
    user: resolveUser(input),
    behavior,
    redirectUri: input.redirectUri ?? BUSINESS_MESSAGES_REDIRECT_URIS[0],
  });
  options.store.record(conversation.id, {
    kind: 'conversation.opened',
    summary: `${conversation.user.displayName} (${conversation.user.username}) opened a conversation with ${agent}; behavior ${behavior}, redirect URI ${conversation.redirectUri}`,
  });
  // Not awaited (the caller gets the id at once), so a failure must be recorded here: an
  // unhandled rejection would end the emulator's process.
  sendUserText(options, conversation, input.text ?? 'Hi').catch((err: unknown) => {
    options.store.record(conversation.id, {
      kind: 'webhook.failed',
      level: 'error',
      summary: `message not sent: ${err instanceof Error ? err.message : String(err)}`,
    });
  });
  return conversation;
}

export function sendUserText(
  options: HarnessRoutesOptions,
  conversation: Conversation,
  text: string,
) {
  const { payload, label } = userEventPayload(conversation, { type: 'text', text });
  return options.sender.send(conversation, payload, label);
}

export function harnessRouter(options: HarnessRoutesOptions): express.Router {
  const { store } = options;
  const router = express.Router();
  const json = [express.json({ limit: '64kb' }), limitJsonDepth];

  const find = (req: Request): Conversation => {
    const conversation = store.get(String(req.params.id));
    if (!conversation)
      throw new GoogleApiError('NOT_FOUND', `Conversation ${req.params.id} not found.`);
    return conversation;
  };

  router.get('/__harness/health', (_req: Request, res: Response) => {
    res.json({ ok: true });
  });

  router.get('/__harness/conversations', (_req: Request, res: Response) => {
    res.json({
      conversations: store.list().map((c) => ({
        conversationId: c.id,
        user: c.user.username,
        behavior: c.behavior,
        authState: c.authState,
      })),
    });
  });

  router.post('/__harness/conversations', json, (req: Request, res: Response) => {
    const conversation = startConversation(options, (req.body ?? {}) as StartConversationInput);
    res.status(201).json({
      conversationId: conversation.id,
      agent: conversation.agent,
      behavior: conversation.behavior,
    });
  });

  router.get('/__harness/conversations/:id', (req: Request, res: Response) => {
    res.json(conversationView(find(req)));
  });

  /** Long-poll: answers once an entry of `kind` (prefix match) is on the timeline. */
  router.get('/__harness/conversations/:id/wait', async (req: Request, res: Response) => {
    const conversation = find(req);
    const kind = String(req.query.for ?? '');
    const timeoutMs = Math.max(
      1,
      Math.min(Number(req.query.timeoutMs ?? 10_000) || 10_000, 60_000),
    );
    if (!kind) throw invalidArgument('for', 'query parameter "for" (a timeline kind) is required.');
    try {
      const entry = await store.waitFor(conversation.id, (e) => e.kind.startsWith(kind), timeoutMs);
      res.json({ entry, conversation: conversationView(conversation) });
    } catch {
      res.status(408).json({
        error: {
          code: 408,
          message: `no ${kind} within ${timeoutMs} ms`,
          status: 'DEADLINE_EXCEEDED',
        },
      });
    }
  });

  router.post('/__harness/conversations/:id/tap', json, async (req: Request, res: Response) => {
    const conversation = find(req);
    const body = (req.body ?? {}) as { redirectUri?: unknown; consent?: unknown };
    if (
      body.redirectUri !== undefined &&
      (typeof body.redirectUri !== 'string' || !body.redirectUri)
    ) {
      throw invalidArgument('redirectUri', 'redirectUri must be a non-empty string.');
    }
    if (body.consent !== undefined && body.consent !== 'allow' && body.consent !== 'deny') {
      throw invalidArgument('consent', 'consent must be "allow" or "deny".');
    }
    await options.device.tap(conversation, {
      redirectUri: body.redirectUri as string | undefined,
      consent: body.consent as 'allow' | 'deny' | undefined,
    });
    res.json(conversationView(conversation));
  });

  /** The virtual user does something else: text, chip tap, typing, live agent request, receipt. */
  router.post(
    '/__harness/conversations/:id/user-events',
    json,
    async (req: Request, res: Response) => {
      const conversation = find(req);
      const { payload, label } = userEventPayload(conversation, req.body);
      const result = await options.sender.send(conversation, payload, label);
      res.json({ delivered: result.delivered, attempts: result.attempts });
    },
  );

  router.get('/__harness/log', (_req: Request, res: Response) => {
    res.json({ entries: store.general });
  });

  return router;
}
