import type { Emulator } from '../../harness/emulator/index.ts';

export async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface SeenMessage {
  text?: string;
  suggestions?: {
    reply?: { text: string; postbackData: string };
    authenticationRequest?: { oauth: Record<string, unknown> };
  }[];
}

/** Messages the agent sent in a conversation, as the emulator stored them (oldest first). */
export function agentMessages(emulator: Emulator, conversationId: string): SeenMessage[] {
  return (emulator.conversation(conversationId)?.messages ?? []) as SeenMessage[];
}

export function agentTexts(emulator: Emulator, conversationId: string): string[] {
  return agentMessages(emulator, conversationId).map((m) => m.text ?? '');
}

export async function harnessPost(
  emulator: Emulator,
  path: string,
  body: unknown,
): Promise<Response> {
  return fetch(`${emulator.url}/__harness/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
