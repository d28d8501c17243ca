import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { conversation } from '@assistant/conversation';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ASSISTANT_PROJECT_ID } from '../../wire/defaults.ts';
import { createEmulator, type Emulator } from '../emulator/index.ts';
import { type Interception, installInterception } from '../intercept/index.ts';
import { loadAssistantRequestFixture } from './request-fixtures.ts';
import { sendAssistantRequest } from './send.ts';
import { ASSISTANT_VARIANTS } from './variants.ts';

/**
 * SPEC §3: an unmodified Action built on the official @assistant/conversation library
 * (google-auth-library verifyIdToken, certs from https://www.googleapis.com/oauth2/v1/certs)
 * accepts the emulator's genuine requests and answers 403 to every forged one, with only the
 * harness interception in place — no configuration of the app.
 */
let emulator: Emulator;
let interception: Interception;
let action: Server;
let actionUrl: string;

beforeAll(async () => {
  emulator = await createEmulator({ port: 0, log: { info() {}, warn() {}, error() {} } });
  interception = installInterception({ emulatorUrl: emulator.url, log: () => {} });
  // The Action exactly as Google's docs write it.
  const app = conversation({ verification: TEST_ASSISTANT_PROJECT_ID });
  app.handle('greeting', (conv) => {
    conv.add('Hello from the official library');
  });
  action = express().use(express.json(), app).listen(0, '127.0.0.1');
  await new Promise((resolve) => action.once('listening', resolve));
  actionUrl = `http://127.0.0.1:${(action.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => action.close(() => resolve()));
  interception.uninstall();
  await emulator.close();
});

describe('@assistant/conversation app, unmodified, under the harness interception', () => {
  const body = loadAssistantRequestFixture('main-invocation').raw;

  for (const variant of ASSISTANT_VARIANTS) {
    it(`${variant.name} → ${variant.expectedStatus}`, async () => {
      const result = await sendAssistantRequest({ url: actionUrl, body, variant: variant.name });
      expect(result.status).toBe(variant.expectedStatus);
      if (variant.expectedStatus === 200) {
        expect(result.body).toMatchObject({
          prompt: { firstSimple: { speech: 'Hello from the official library' } },
        });
      } else {
        expect(result.body).toMatchObject({
          error: expect.stringContaining('ID token verification failed'),
        });
      }
    });
  }

  it('answers the health check fixture through the library’s own handler', async () => {
    const result = await sendAssistantRequest({
      url: actionUrl,
      body: loadAssistantRequestFixture('health-check').raw,
    });
    expect(result.status).toBe(200);
  });
});
