import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { targetsBusinessGoogle } from '../../../wire/redirect-uris.ts';
import { createManualDriver } from './manual-driver.ts';

describe('manual login driver', () => {
  it('prints the authorize URL and takes the pasted landing address, or an empty line for an error page', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
    const driver = createManualDriver({ input, output, username: 'alice' });
    const request = {
      url: 'http://127.0.0.1:1/authorize?x=1',
      consent: 'deny' as const,
      stopAt: targetsBusinessGoogle,
    };
    input.write('https://business.google.com/callback?error=access_denied&state=s\n');
    const first = await driver.authorize(request);
    expect(printed).toContain('http://127.0.0.1:1/authorize?x=1');
    expect(printed).toContain('DENY');
    expect(first).toMatchObject({
      kind: 'redirect',
      location: 'https://business.google.com/callback?error=access_denied&state=s',
    });
    expect(first.kind === 'redirect' && first.capture).toContain('normalised by the browser');
    input.write('\n');
    expect(await driver.authorize(request)).toMatchObject({ kind: 'stopped', code: 'no_redirect' });
    input.write('https://example.com/somewhere\n');
    expect(await driver.authorize(request)).toMatchObject({
      kind: 'stopped',
      code: 'not_a_redirect',
    });
    await driver.close();
  });
});
