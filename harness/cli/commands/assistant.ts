import type { Command } from 'commander';

// Placeholder until its issue lands: registers the command so --help lists it.
export function registerAssistant(program: Command): void {
  program
    .command('assistant')
    .description('(not implemented yet)')
    .action(() => {
      console.error('bm-harness assistant: not implemented yet');
      process.exitCode = 2;
    });
}
