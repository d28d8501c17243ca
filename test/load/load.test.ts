import { describe, expect, it } from 'vitest';
import { ledgerIsClean } from './ledger-check.ts';
import { runConversationLoad } from './load-run.ts';

/** Small version of `npm run load` (1,000 conversations): same code path, fewer conversations. */
describe('load: many conversations, one ledger', () => {
  it('50 conversations at concurrency 8 all sign in; deliveries and agent store agree', async () => {
    const { report } = await runConversationLoad({ count: 50, concurrency: 8 });
    expect(report.signedIn).toBe(50);
    // Two user events each: the first text, then the authentication response.
    expect(report.sent).toBe(100);
    expect(report.delivered).toBe(100);
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.wrongReplies).toEqual([]);
    expect(report.problems).toEqual([]);
    expect(ledgerIsClean(report)).toBe(true);
  });
});
