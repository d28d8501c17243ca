/**
 * Fuzz target process: the three services via startHarness(), apart from the fuzzing
 * process (whose own HTTP client must not pass through the harness's interception).
 * Prints one ready line with what the fuzzer needs; reports unhandled rejections and
 * uncaught exceptions on stderr with a marker the fuzzer looks for; stops on SIGTERM.
 */
import { issueAccessToken } from '../../../harness/emulator/access-tokens.ts';
import { startHarness } from '../../../harness/start/start-harness.ts';
import { CRASH_MARKER } from './crash-marker.ts';

process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `${CRASH_MARKER} rejection: ${String((reason as Error)?.stack ?? reason)}\n`,
  );
});
process.on('uncaughtException', (err) => {
  process.stderr.write(`${CRASH_MARKER} exception: ${err.stack ?? err}\n`);
});

const harness = await startHarness();
harness.emulator.store.setMaxListeners(0);
const conversationId = harness.emulator.startConversation({ user: 'alice', behavior: 'manual' }).id;
// A live login interaction, so fuzzed requests also reach the interaction handlers.
const authorize = new URL(harness.urls.authorize);
authorize.search = new URLSearchParams({
  response_type: 'code',
  client_id: 'bm-agent',
  redirect_uri: 'https://business.google.com/callback',
  scope: 'openid profile',
  state: 's',
  code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
  code_challenge_method: 'S256',
}).toString();
const res = await fetch(authorize, { redirect: 'manual' });
const interactionUid = /\/interaction\/([^/?#]+)/.exec(res.headers.get('location') ?? '')?.[1];
const bearer = `Bearer ${await issueAccessToken({
  subject: 'fuzz@example.iam.gserviceaccount.com',
  scopes: ['https://www.googleapis.com/auth/businessmessages'],
})}`;

process.on('SIGTERM', () => {
  void harness.close().finally(() => process.exit(0));
});
process.stdout.write(
  `${JSON.stringify({ ready: true, urls: harness.urls, conversationId, interactionUid, bearer })}\n`,
);
