/**
 * The reference agent's conversational Action: Actions Builder webhook handlers answering in
 * the webhook response shape ({session, prompt:{override, firstSimple}}).
 */

export interface ConversationRequest {
  handler?: { name?: string };
  intent?: { name?: string; params?: Record<string, { original?: unknown; resolved?: unknown }> };
  session?: { id?: string; params?: Record<string, unknown> };
  user?: { locale?: string };
}

export interface ConversationResponse {
  session: { id: string; params: Record<string, unknown> };
  prompt: { override: boolean; firstSimple: { speech: string; text: string } };
}

function respond(
  request: ConversationRequest,
  speech: string,
  override = false,
): ConversationResponse {
  return {
    session: { id: request.session?.id ?? '', params: {} },
    prompt: { override, firstSimple: { speech, text: speech } },
  };
}

type Handler = (request: ConversationRequest) => ConversationResponse;

export const ASSISTANT_HANDLERS: Record<string, Handler> = {
  greeting: (request) => respond(request, 'Hello from the bm-oauth-harness reference agent.'),
  order_status: (request) => {
    const order = request.intent?.params?.order_number?.resolved;
    return respond(
      request,
      order === undefined ? 'Which order?' : `Order ${String(order)} is on its way.`,
    );
  },
  // Google's health checks ("Health Checks", Actions console) expect 200 and a simple prompt.
  'actions.handler.HEALTH_CHECK': (request) => ({
    ...respond(request, 'ok', true),
    prompt: { override: true, firstSimple: { speech: 'ok', text: '' } },
  }),
};
