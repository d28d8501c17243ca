import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../wire/package-root.ts';
import { resolveProviderOptions } from './cli.ts';
import { loadProviderConfigFile } from './config-file.ts';
import { MockProviderConfigError } from './errors.ts';

function tempConfig(content: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'bm-provider-'));
  const file = join(dir, 'provider.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('provider options: defaults < config file < env < flags', () => {
  it('uses nothing when nothing is given (createMockProvider defaults apply)', () => {
    expect(resolveProviderOptions({}, {})).toEqual({});
  });

  it('layers config file, env and flags', () => {
    const config = tempConfig({
      port: 5000,
      host: '127.0.0.2',
      issuer: 'http://file.test',
      headlessLogin: true,
    });
    const env = {
      BM_PROVIDER_CONFIG: config,
      BM_PROVIDER_PORT: '5001',
      BM_PROVIDER_ISSUER: 'http://env.test',
    };
    expect(resolveProviderOptions({}, env)).toMatchObject({
      port: 5001,
      host: '127.0.0.2',
      issuer: 'http://env.test',
      headlessLogin: true,
    });
    expect(
      resolveProviderOptions({ port: '0', issuer: 'http://flag.test', codeTtl: '5' }, env),
    ).toMatchObject({
      port: 0,
      issuer: 'http://flag.test',
      codeTtlSeconds: 5,
    });
  });

  it('a port flag moves the issuer too when the file only spelled out the default issuer', () => {
    // The README's `npm run provider -- --port 0 --config provider.config.example.json` must
    // not announce http://localhost:4010 as issuer while listening elsewhere.
    const example = join(PACKAGE_ROOT, 'provider.config.example.json');
    const options = resolveProviderOptions({ port: '0', config: example }, {});
    expect(options.port).toBe(0);
    expect(options.issuer).toBeUndefined();
    expect(resolveProviderOptions({ config: example }, { BM_PROVIDER_PORT: '4011' }).issuer).toBe(
      undefined,
    );
    // Without a port override, or with a deliberate issuer in the file, the file's issuer stays.
    expect(resolveProviderOptions({ config: example }, {}).issuer).toBe('http://localhost:4010');
    const custom = tempConfig({ port: 5000, issuer: 'https://login.example.test' });
    expect(resolveProviderOptions({ port: '0', config: custom }, {}).issuer).toBe(
      'https://login.example.test',
    );
  });

  it('loads the documented example config, fixtures included', () => {
    const options = loadProviderConfigFile(join(PACKAGE_ROOT, 'provider.config.example.json'));
    expect(options.port).toBe(4010);
    expect(options.users?.map((u) => u.username)).toEqual(['alice', 'bob']);
    expect(options.clients?.map((c) => c.client_id)).toEqual(['bm-agent', 'bm-agent-public']);
  });

  it('rejects bad config with MockProviderConfigError naming the problem', () => {
    expect(() => loadProviderConfigFile(tempConfig('{nope'))).toThrow(MockProviderConfigError);
    expect(() => loadProviderConfigFile(tempConfig({ prot: 1 }))).toThrow(/unknown key "prot"/);
    expect(() => loadProviderConfigFile(tempConfig({ port: 'x' }))).toThrow(
      /"port" must be an integer/,
    );
    expect(() => loadProviderConfigFile(tempConfig({ headlessLogin: 'yes' }))).toThrow(
      /true or false/,
    );
    expect(() => resolveProviderOptions({ port: '70000' }, {})).toThrow(
      /port must be an integer from 0 to 65535/,
    );
    expect(() => loadProviderConfigFile('/nonexistent/provider.json')).toThrow(
      /cannot read config file/,
    );
  });
});
