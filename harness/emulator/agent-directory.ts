import { TEST_AGENT_NAME } from '../../wire/defaults.ts';

/** The Business Communications Agent resource, as far as the emulator models it. */
export interface AgentResource {
  name: string;
  displayName: string;
  businessMessagesAgent: {
    customAgentId?: string;
    defaultLocale?: string;
    authorizationConfig?: { endpointUrl?: string };
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface PartnerResource {
  name: string;
  displayName: string;
  productCapabilities: {
    product: string;
    businessMessagesCapability?: { webhookUrl?: string };
  }[];
  [field: string]: unknown;
}

export const DEFAULT_PARTNER_NAME = 'partners/harness-partner';

export interface AgentDirectoryOptions {
  agentName?: string;
  displayName?: string;
  customAgentId?: string;
  /** Initial `authorizationConfig.endpointUrl` — the mock provider's authorize URL. */
  endpointUrl?: string;
  /** Initial partner webhook (where user messages go); may be set later through the API. */
  webhookUrl?: string;
}

/**
 * The agents and the partner the emulator knows. One agent and one partner exist from the
 * start (SPEC §4 defaults), because Google's sandbox had no way to create them offline.
 */
export class AgentDirectory {
  readonly agents = new Map<string, AgentResource>();
  partner: PartnerResource;

  constructor(options: AgentDirectoryOptions = {}) {
    const name = options.agentName ?? TEST_AGENT_NAME;
    this.agents.set(name, {
      name,
      displayName: options.displayName ?? 'Harness Agent',
      businessMessagesAgent: {
        customAgentId: options.customAgentId ?? 'harness-custom-agent',
        defaultLocale: 'en',
        conversationalSettings: {
          en: {
            welcomeMessage: { text: 'Welcome! Sign in to continue.' },
            privacyPolicy: { url: 'https://example.com/privacy' },
          },
        },
        primaryAgentInteraction: { interactionType: 'BOT' },
        ...(options.endpointUrl
          ? { authorizationConfig: { endpointUrl: options.endpointUrl } }
          : {}),
      },
    });
    this.partner = {
      name: DEFAULT_PARTNER_NAME,
      displayName: 'Harness Partner',
      productCapabilities: [
        {
          product: 'BUSINESS_MESSAGES',
          businessMessagesCapability: options.webhookUrl ? { webhookUrl: options.webhookUrl } : {},
        },
      ],
    };
  }

  defaultAgent(): AgentResource {
    return this.agents.values().next().value!;
  }

  webhookUrl(): string | undefined {
    return this.partner.productCapabilities?.find((c) => c?.businessMessagesCapability?.webhookUrl)
      ?.businessMessagesCapability?.webhookUrl;
  }

  endpointUrl(agentName: string): string | undefined {
    return this.agents.get(agentName)?.businessMessagesAgent?.authorizationConfig?.endpointUrl;
  }
}
