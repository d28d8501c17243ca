import { randomBytes } from 'node:crypto';
import type { AuthenticationResponse } from '../../wire/business-messages.ts';
import { redactUrl } from '../../wire/redact.ts';
import { targetsBusinessGoogle } from '../../wire/redirect-uris.ts';
import type { AgentDirectory } from '../emulator/agent-directory.ts';
import type { Conversation, ConversationStore } from '../emulator/conversation-store.ts';
import type { ParsedOauth } from '../emulator/message-schema.ts';
import { scrubChallenge } from '../emulator/plain-challenge.ts';
import type { WebhookSender } from '../emulator/webhook-sender.ts';
import { HttpLoginError, httpLogin } from '../login/http-login.ts';
import { buildAuthorizeUrl } from './authorize-url.ts';
import { mapOAuthError } from './oauth-errors.ts';
import { captureRedirect } from './redirect-capture.ts';

export interface TapOptions {
  /** Overrides the conversation's redirect URI for this tap. */
  redirectUri?: string;
  consent?: 'allow' | 'deny';
}

export interface VirtualDeviceOptions {
  store: ConversationStore;
  directory: AgentDirectory;
  sender: WebhookSender;
  login?: typeof httpLogin;
  loginTimeoutMs?: number;
}

/** A scripted user taps at most this many sign-in suggestions in one conversation. */
export const MAX_AUTOMATIC_TAPS = 3;

export class DeviceError extends Error {
  readonly code: 'NO_PENDING_REQUEST' | 'NO_ENDPOINT_URL';
  constructor(code: DeviceError['code'], message: string) {
    super(message);
    this.name = 'DeviceError';
    this.code = code;
  }
}

/**
 * The user's phone and Google's web view: reacts to an authentication request suggestion
 * according to the conversation's behaviour, signs in over HTTP, captures the redirect back
 * to business.google.com without following it, and posts the authenticationResponse to the
 * agent's webhook (SPEC §2 steps 4–5).
 */
export class VirtualDevice {
  readonly #options: VirtualDeviceOptions;
  /** The latest authentication request per conversation, kept for a manual tap. */
  readonly #pending = new Map<string, ParsedOauth>();
  /** Automatic taps per conversation, to stop an agent that re-asks on every answer. */
  readonly #autoTaps = new Map<string, number>();
  /** Work in flight, so close() and tests can wait for it. */
  readonly #running = new Set<Promise<void>>();

  constructor(options: VirtualDeviceOptions) {
    this.#options = options;
    // Per-conversation state goes with the conversation when the store's cap evicts it.
    options.store.on('evicted', (id: string) => {
      this.#pending.delete(id);
      this.#autoTaps.delete(id);
    });
  }

  /** Conversations the device holds state for (bounded by the store's conversation cap). */
  get trackedConversations(): number {
    return new Set([...this.#pending.keys(), ...this.#autoTaps.keys()]).size;
  }

  /** Called when the agent sent a message carrying an authenticationRequest suggestion. */
  onAuthenticationRequest(conversation: Conversation, oauth: ParsedOauth): void {
    const { store } = this.#options;
    this.#pending.set(conversation.id, oauth);
    switch (conversation.behavior) {
      case 'abandon':
        conversation.authState = 'abandoned';
        store.record(conversation.id, {
          kind: 'device.abandoned',
          summary:
            'user saw the sign-in suggestion and never tapped it; nothing is posted to the agent',
        });
        return;
      case 'manual':
        conversation.authState = 'awaiting-tap';
        store.record(conversation.id, {
          kind: 'device.awaiting-tap',
          summary: `waiting for a tap: POST /__harness/conversations/${conversation.id}/tap`,
        });
        return;
      default: {
        const taps = (this.#autoTaps.get(conversation.id) ?? 0) + 1;
        this.#autoTaps.set(conversation.id, taps);
        if (taps > MAX_AUTOMATIC_TAPS) {
          store.record(conversation.id, {
            kind: 'device.ignored',
            level: 'warn',
            summary: `authentication request number ${taps} not tapped automatically (a person would stop after ${MAX_AUTOMATIC_TAPS}); is the agent re-asking in a loop? A tap through the API still works`,
          });
          return;
        }
        this.#track(
          this.#signIn(conversation, oauth, {
            consent: conversation.behavior === 'deny' ? 'deny' : 'allow',
          }),
        );
      }
    }
  }

  /** A manual tap (API). Resolves when the sign-in and the webhook post are done. */
  async tap(conversation: Conversation, options: TapOptions = {}): Promise<void> {
    const oauth = this.#pending.get(conversation.id);
    if (!oauth) {
      throw new DeviceError(
        'NO_PENDING_REQUEST',
        `conversation ${conversation.id} has no authentication request to tap`,
      );
    }
    const run = this.#signIn(conversation, oauth, {
      consent: options.consent ?? 'allow',
      ...options,
    });
    this.#track(run);
    await run;
  }

  /** Waits for every sign-in in flight. */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.allSettled([...this.#running]);
  }

  #track(run: Promise<void>): void {
    this.#running.add(run);
    // #signIn records its own failures; should recording itself throw (a throwing log sink),
    // the automatic path has no caller to tell, and an unhandled rejection ends the process.
    void run.finally(() => this.#running.delete(run)).catch(() => undefined);
  }

  async #signIn(conversation: Conversation, oauth: ParsedOauth, tap: TapOptions): Promise<void> {
    const { store, directory, sender } = this.#options;
    // A plain challenge is the verifier: nothing recorded may carry it (SPEC §5).
    const record = (
      kind: string,
      summary: string,
      data?: unknown,
      level?: 'info' | 'warn' | 'error',
    ) =>
      store.record(conversation.id, {
        kind,
        summary: scrubChallenge(summary, oauth),
        data: scrubChallenge(data, oauth),
        level,
      });
    conversation.authState = 'in-progress';
    try {
      const endpointUrl = directory.endpointUrl(conversation.agent);
      if (!endpointUrl) {
        throw new DeviceError(
          'NO_ENDPOINT_URL',
          `agent ${conversation.agent} has no authorizationConfig.endpointUrl`,
        );
      }
      const redirectUri = tap.redirectUri ?? conversation.redirectUri;
      let method = oauth.codeChallengeMethod;
      if (!method) {
        // Google documented `plain` as the default and sent it; the agent should have said S256.
        method = 'plain';
        record(
          'warning',
          'codeChallengeMethod was omitted: forwarding code_challenge_method=plain as Google did',
          undefined,
          'warn',
        );
      }
      const state = randomBytes(16).toString('base64url');
      const authorizeUrl = buildAuthorizeUrl(endpointUrl, {
        clientId: oauth.clientId!,
        redirectUri,
        scopes: oauth.scopes!,
        state,
        codeChallenge: oauth.codeChallenge!,
        codeChallengeMethod: method,
      });
      record(
        'device.tap',
        `user tapped the sign-in suggestion (${tap.consent === 'deny' ? 'will deny' : 'will allow'})`,
        {
          authorizeUrl: redactUrl(authorizeUrl),
          redirectUri,
        },
      );
      const result = await (this.#options.login ?? httpLogin)({
        authorizeUrl,
        username: conversation.user.username,
        password: conversation.user.password,
        consent: tap.consent ?? 'allow',
        stopAt: targetsBusinessGoogle,
        timeoutMs: this.#options.loginTimeoutMs,
      });
      for (const step of result.steps) {
        record(
          'device.login-step',
          `${step.method} ${step.url} → ${step.status}${step.note ? ` (${step.note})` : ''}`,
          step,
        );
      }
      const captured = captureRedirect(result.location, redirectUri);
      record('device.redirect', `provider redirected to ${redactUrl(result.location)}`, {
        location: result.location,
      });
      for (const problem of captured.problems) record('warning', problem, undefined, 'warn');
      const response = this.#responseFor(captured, state, redirectUri, record);
      conversation.authState = 'code' in response ? 'succeeded' : 'failed';
      await sender.send(
        conversation,
        { authenticationResponse: response },
        'authenticationResponse',
      );
    } catch (err) {
      conversation.authState = 'failed';
      const steps = err instanceof HttpLoginError ? err.steps : [];
      for (const step of steps) {
        record(
          'device.login-step',
          `${step.method} ${step.url} → ${step.status}${step.note ? ` (${step.note})` : ''}`,
          step,
        );
      }
      const code =
        err instanceof HttpLoginError || err instanceof DeviceError ? ` [${err.code}]` : '';
      record(
        'device.error',
        `sign-in did not reach business.google.com${code}: ${err instanceof Error ? err.message : String(err)}. The user is left on the provider's page; nothing is posted to the agent.`,
        err instanceof HttpLoginError ? err.details : undefined,
        'error',
      );
    }
  }

  #responseFor(
    captured: ReturnType<typeof captureRedirect>,
    state: string,
    redirectUri: string,
    record: (
      kind: string,
      summary: string,
      data?: unknown,
      level?: 'info' | 'warn' | 'error',
    ) => void,
  ): AuthenticationResponse {
    if (captured.state !== state) {
      record(
        'device.state-mismatch',
        'state in the redirect does not match the state sent',
        undefined,
        'error',
      );
      return {
        errorDetails: {
          error: 'INVALID_REQUEST',
          errorDescription: 'state returned by the provider did not match',
        },
      };
    }
    if (captured.error) {
      const error = mapOAuthError(captured.error);
      record('device.oauth-error', `provider returned error=${captured.error} → ${error}`);
      return {
        errorDetails: {
          error,
          ...(captured.errorDescription ? { errorDescription: captured.errorDescription } : {}),
        },
      };
    }
    if (!captured.code) {
      record('device.no-code', 'redirect carried neither code nor error', undefined, 'error');
      return {
        errorDetails: {
          error: 'ERROR_UNSPECIFIED',
          errorDescription: 'no authorization code returned',
        },
      };
    }
    return { code: captured.code, redirectUri };
  }
}
