import { type Agent, type AgentOptions, createAgent, MemoryAgentStore } from '../../agent/index.ts';
import {
  createMockProvider,
  type MockProvider,
  type MockProviderOptions,
} from '../../mock-provider/index.ts';
import { DEFAULT_HOST } from '../../wire/defaults.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../emulator/index.ts';
import { installInterception } from '../intercept/index.ts';
import { type ConversationOutcome, type ConverseInput, converse } from './converse.ts';

export type { ConversationOutcome, ConverseInput } from './converse.ts';

export interface StartHarnessOptions {
  /** Bind address of all three services. Default 127.0.0.1. */
  host?: string;
  /** Print the services' logs. Default false: tests stay quiet. */
  verbose?: boolean;
  provider?: Omit<MockProviderOptions, 'port' | 'host'>;
  emulator?: Omit<EmulatorOptions, 'port' | 'host' | 'providerAuthorizeUrl' | 'agentWebhookUrl'>;
  /** Reference agent options, or `false` to bring your own (see `agentWebhookUrl`). */
  agent?: Omit<AgentOptions, 'port' | 'host' | 'googleRootUrl' | 'issuer'> | false;
  /** Your own agent's Business Messages webhook; implies `agent: false`. */
  agentWebhookUrl?: string;
}

export interface HarnessUrls {
  issuer: string;
  authorize: string;
  emulator: string;
  /** Business Messages webhook that the emulator delivers to. */
  webhook: string;
  /** Reference agent base URL (absent with your own agent). */
  agent?: string;
  /** Reference agent's Assistant endpoint. */
  assistant?: string;
}

export interface Harness {
  provider: MockProvider;
  emulator: Emulator;
  /** The reference agent, unless you brought your own. */
  agent?: Agent;
  urls: HarnessUrls;
  /**
   * Opens a conversation as a virtual user (default alice, behavior tap) and resolves once it
   * has ended: `{ ok, reason, agentReply, view }`.
   */
  converse(input?: ConverseInput): Promise<ConversationOutcome>;
  close(): Promise<void>;
}

const SILENT = { info() {}, warn() {}, error() {} };

/**
 * Starts provider, emulator and (unless told otherwise) the reference agent in this process,
 * each on an ephemeral port, wired to each other. Every call gets its own three services and
 * state; the Google-host interception is process-wide but routes to a live emulator for as
 * long as any harness is open (nock keeps a stack of installations).
 */
export async function startHarness(options: StartHarnessOptions = {}): Promise<Harness> {
  const host = options.host ?? DEFAULT_HOST;
  const ownAgent = options.agentWebhookUrl !== undefined || options.agent === false;
  const closers: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer();
  };
  try {
    const provider = await createMockProvider({
      quiet: !options.verbose,
      ...options.provider,
      port: 0,
      host,
    });
    closers.push(() => provider.close());
    const authorize = `${provider.issuer}/authorize`;

    const emulator = await createEmulator({
      log: options.verbose ? console : SILENT,
      ...options.emulator,
      port: 0,
      host,
      providerAuthorizeUrl: authorize,
      agentWebhookUrl: options.agentWebhookUrl,
    });
    closers.push(() => emulator.close());

    // The agent's google.auth.JWT always asks https://oauth2.googleapis.com/token.
    const interception = installInterception({ emulatorUrl: emulator.url, log: () => {} });
    closers.push(() => interception.uninstall());

    let agent: Agent | undefined;
    if (!ownAgent) {
      const agentOptions = options.agent || {};
      agent = await createAgent({
        log: options.verbose ? undefined : false,
        store: agentOptions.store ?? new MemoryAgentStore(),
        ...agentOptions,
        port: 0,
        host,
        googleRootUrl: emulator.url,
        issuer: provider.issuer,
      });
      const started = agent;
      closers.push(() => started.close());
      // The agent needs the emulator's URL, so the emulator learns the agent's afterwards.
      emulator.setAgentWebhookUrl(agent.webhookUrl);
    }

    return {
      provider,
      emulator,
      agent,
      urls: {
        issuer: provider.issuer,
        authorize,
        emulator: emulator.url,
        webhook: agent?.webhookUrl ?? options.agentWebhookUrl ?? '',
        agent: agent?.url,
        assistant: agent?.assistantUrl,
      },
      converse: (input) => converse(emulator, input),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
