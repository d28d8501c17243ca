/**
 * Test-only defaults shared by every part of the harness (SPEC §4). None of these are real
 * credentials: they exist so that the three services work together with no configuration.
 */
export const DEFAULT_PORTS = { provider: 4010, emulator: 4020, agent: 4030 } as const;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_ISSUER = `http://localhost:${DEFAULT_PORTS.provider}`;

export const TEST_CONFIDENTIAL_CLIENT = {
  clientId: 'bm-agent',
  clientSecret: 'bm-agent-secret',
} as const;
export const TEST_PUBLIC_CLIENT = { clientId: 'bm-agent-public' } as const;

export const TEST_USERS = {
  alice: { username: 'alice', password: 'alice-password' },
  bob: { username: 'bob', password: 'bob-password' },
} as const;

export const TEST_ASSISTANT_PROJECT_ID = 'bm-harness-project';
export const TEST_WEBHOOK_CLIENT_TOKEN = 'test-client-token';
export const TEST_BRAND_ID = 'harness-brand';
export const TEST_AGENT_ID = 'harness-agent';
export const TEST_AGENT_NAME = `brands/${TEST_BRAND_ID}/agents/${TEST_AGENT_ID}`;
export const DEFAULT_SCOPES = ['openid', 'profile'] as const;

/** Environment variable the interception preload reads to find the emulator. */
export const EMULATOR_URL_ENV = 'BM_HARNESS_EMULATOR';
