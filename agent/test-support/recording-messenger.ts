import type { BusinessMessage } from '../../wire/business-messages.ts';
import { AgentError } from '../errors.ts';
import type { Messenger } from '../google/messenger.ts';

/** Messenger for unit tests: records what the agent sends; can be told to fail. */
export class RecordingMessenger implements Messenger {
  readonly sent: { conversationId: string; message: BusinessMessage }[] = [];
  failNext = 0;

  async send(conversationId: string, message: BusinessMessage): Promise<void> {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new AgentError(
        'BUSINESS_MESSAGES_SEND_FAILED',
        'recording messenger told to fail',
        502,
      );
    }
    this.sent.push({ conversationId, message });
  }
}
