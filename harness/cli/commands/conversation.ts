import type { Command } from 'commander';

// Placeholder until its issue lands: registers the command so --help lists it.
export function registerConversation(program: Command): void {
  program
    .command('conversation')
    .description('(not implemented yet)')
    .action(() => {
      console.error('bm-harness conversation: not implemented yet');
      process.exitCode = 2;
    });
}
