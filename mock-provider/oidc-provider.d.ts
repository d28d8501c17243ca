// Minimal ambient types for the parts of oidc-provider v9 (which ships no types) that the
// mock provider uses. Deliberately loose: this is not a public type surface.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface KoaContextLike {
    path: string;
    method: string;
    status: number;
    body: unknown;
    type: string;
    headers: Record<string, string | string[] | undefined>;
    query: Record<string, unknown>;
    ip: string;
    req: IncomingMessage;
    res: ServerResponse;
    oidc?: {
      route?: string;
      params?: Record<string, unknown>;
      client?: ClientLike;
      session?: { accountId?: string };
      account?: { accountId: string };
      entities?: Record<string, unknown>;
    };
    accepts(...types: string[]): string | false;
    set(name: string, value: string): void;
    get(name: string): string;
    remove(name: string): void;
  }

  export interface ClientLike {
    clientId: string;
    clientName?: string;
    redirectUris: string[];
    grantTypeAllowed(type: string): boolean;
    redirectUriAllowed(value: string): boolean;
  }

  export interface InteractionDetails {
    uid: string;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    params: Record<string, unknown> & { client_id: string; scope?: string; login_hint?: string };
    session?: { accountId?: string; uid?: string };
    grantId?: string;
    lastSubmission?: Record<string, unknown>;
    /** Set once interactionFinished/interactionResult answered this interaction. */
    result?: Record<string, unknown>;
    /** The resume URL (`/authorize/<uid>`). */
    returnTo: string;
  }

  export interface GrantLike {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface TokenLike {
    accountId?: string;
    clientId?: string;
    consumed?: unknown;
    consume(): Promise<void>;
  }

  export interface TokenModel {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<TokenLike | undefined>;
    prototype: TokenLike;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    issuer: string;
    Client: {
      find(id: string): Promise<ClientLike | undefined>;
      prototype: ClientLike;
    };
    Grant: {
      new (init: { accountId: string; clientId: string }): GrantLike;
      find(id: string): Promise<GrantLike | undefined>;
    };
    AuthorizationCode: TokenModel;
    AccessToken: TokenModel;
    RefreshToken: TokenModel;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(fn: (ctx: KoaContextLike, next: () => Promise<void>) => Promise<void>): this;
    on(event: string, listener: (...args: never[]) => void): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    interactionResult(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<string>;
  }

  export const errors: Record<string, new (...args: never[]) => Error>;
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** Per-call store; passing it as `adapter` also avoids the quick-start warning. */
  export function createMemoryAdapter(clockTolerance?: number): (model: string) => unknown;
}
