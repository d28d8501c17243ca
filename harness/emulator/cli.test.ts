import { describe, expect, it } from 'vitest';
import { DEFAULT_AGENT_WEBHOOK_URL, EmulatorCliError, resolveEmulatorOptions } from './cli.ts';

describe('emulator options', () => {
  it('defaults to port 4020 on 127.0.0.1, the provider authorize URL and the agent webhook', () => {
    expect(resolveEmulatorOptions({}, {})).toMatchObject({
      port: 4020,
      host: '127.0.0.1',
      providerAuthorizeUrl: 'http://localhost:4010/authorize',
      agentWebhookUrl: DEFAULT_AGENT_WEBHOOK_URL,
      clientToken: 'test-client-token',
    });
  });

  it('takes the environment, and flags over the environment', () => {
    const env = {
      BM_EMULATOR_PORT: '5000',
      BM_CLIENT_TOKEN: 'env-token',
      BM_AGENT_WEBHOOK_URL: 'http://127.0.0.1:1/w',
    };
    expect(resolveEmulatorOptions({}, env)).toMatchObject({
      port: 5000,
      clientToken: 'env-token',
      agentWebhookUrl: 'http://127.0.0.1:1/w',
    });
    expect(resolveEmulatorOptions({ port: '0', maxAttempts: '2' }, env)).toMatchObject({
      port: 0,
      retry: { maxAttempts: 2 },
    });
  });

  it('rejects bad numbers', () => {
    expect(() => resolveEmulatorOptions({ port: 'x' }, {})).toThrow(EmulatorCliError);
    expect(() => resolveEmulatorOptions({ maxAttempts: '0' }, {})).toThrow(/max-attempts/);
  });
});
