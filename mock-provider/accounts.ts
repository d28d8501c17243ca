import { readFileSync } from 'node:fs';
import { fixturePath } from '../wire/package-root.ts';
import { MockProviderConfigError } from './errors.ts';

/** A test user of the mock provider (TEST ONLY credentials, see fixtures/users.json). */
export interface MockUser {
  username: string;
  password: string;
  sub: string;
  claims: Record<string, unknown>;
}

/**
 * Which claims each scope releases (OpenID Connect Core 1.0 §5.4). `loyalty_tier` is an
 * extra, non-standard claim so that agents can be tested against provider-specific claims.
 */
export const SCOPE_CLAIMS: Record<string, string[]> = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'locale', 'loyalty_tier'],
  email: ['email', 'email_verified'],
};

export function loadUsers(file = fixturePath('users.json')): MockUser[] {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { users?: unknown };
  if (!Array.isArray(parsed.users)) {
    throw new MockProviderConfigError(`${file}: expected {"users": [...]}`);
  }
  return parsed.users.map((user, i) => validateUser(user, `${file} users[${i}]`));
}

function validateUser(value: unknown, where: string): MockUser {
  const u = value as Partial<MockUser> | null;
  for (const key of ['username', 'password', 'sub'] as const) {
    if (!u || typeof u[key] !== 'string' || u[key] === '') {
      throw new MockProviderConfigError(`${where}: "${key}" must be a non-empty string`);
    }
  }
  return {
    username: u!.username!,
    password: u!.password!,
    sub: u!.sub!,
    claims: { ...(u!.claims ?? {}) },
  };
}

/** Lookup of users by username or sub (a login_hint or fault may name either). */
export class AccountDirectory {
  readonly users: readonly MockUser[];

  constructor(users: readonly MockUser[]) {
    this.users = users;
  }

  byUsername(username: string): MockUser | undefined {
    return this.users.find((u) => u.username === username);
  }

  bySub(sub: string): MockUser | undefined {
    return this.users.find((u) => u.sub === sub);
  }

  byHint(hint: string): MockUser | undefined {
    return this.byUsername(hint) ?? this.bySub(hint);
  }

  /** Checks a password; the same answer for an unknown user and a wrong password. */
  authenticate(username: string, password: string): MockUser | undefined {
    const user = this.byUsername(username);
    return user && user.password === password ? user : undefined;
  }

  /** The `findAccount` hook oidc-provider calls for id_token and userinfo claims. */
  findAccount = async (_ctx: unknown, sub: string) => {
    const user = this.bySub(sub);
    if (!user) return undefined;
    return {
      accountId: user.sub,
      // oidc-provider filters these by the granted scopes using `claims` (SCOPE_CLAIMS).
      claims: async () => ({ ...user.claims, sub: user.sub }),
    };
  };
}
