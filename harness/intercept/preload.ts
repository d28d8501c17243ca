/**
 * `node --import bm-oauth-harness/intercept agent.js`: routes Google's API hosts to the
 * emulator named by BM_HARNESS_EMULATOR (default http://127.0.0.1:4020) before the agent
 * loads, so the agent runs unchanged and never reaches Google (SPEC §4).
 */
import { DEFAULT_HOST, DEFAULT_PORTS, EMULATOR_URL_ENV } from '../../wire/defaults.ts';
import { installInterception } from './install.ts';

const emulatorUrl =
  process.env[EMULATOR_URL_ENV] || `http://${DEFAULT_HOST}:${DEFAULT_PORTS.emulator}`;
export const interception = installInterception({ emulatorUrl });
if (process.env.BM_HARNESS_QUIET !== '1') {
  process.stderr.write(
    `[bm-harness intercept] Google APIs → ${emulatorUrl}; other external hosts refused\n`,
  );
}
