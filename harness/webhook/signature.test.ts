import { describe, expect, it } from 'vitest';
import { signWebhookBody, verifyWebhookSignature } from './signature.ts';

describe('X-Goog-Signature', () => {
  it('matches the SPEC test vector exactly', () => {
    expect(signWebhookBody('test-client-token', '{"conversationId":"c1"}')).toBe(
      '4BJjkwIj9DbqlaTYP2pwZVx6LnYSP4635kuP0qyJELTW5xzW/rh0HIyHeqnFIVVUhXNN0evMf0da4VUJezaYpg==',
    );
  });

  it('verifies the right signature and rejects tampering, other keys and absence', () => {
    const sig = signWebhookBody('k', '{"a":1}');
    expect(verifyWebhookSignature('k', Buffer.from('{"a":1}'), sig)).toBe(true);
    expect(verifyWebhookSignature('k', '{"a": 1}', sig)).toBe(false);
    expect(verifyWebhookSignature('other', '{"a":1}', sig)).toBe(false);
    expect(verifyWebhookSignature('k', '{"a":1}', undefined)).toBe(false);
  });
});
