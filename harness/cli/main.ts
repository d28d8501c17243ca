#!/usr/bin/env node
import { Command } from 'commander';
import { registerAssistant } from './commands/assistant.ts';
import { registerConversation } from './commands/conversation.ts';
import { registerReplay } from './commands/replay.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerValidate } from './commands/validate.ts';

const program = new Command('bm-harness')
  .description(
    'Offline test harness for Google Business Messages OAuth sign-in and Assistant webhook signatures.',
  )
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander exits 1 on usage errors; our contract reserves 2 for harness/config errors.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });

registerSimulate(program);
registerConversation(program);
registerReplay(program);
registerAssistant(program);
registerValidate(program);

await program.parseAsync(process.argv);
