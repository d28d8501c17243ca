import type { Command } from 'commander';

// Placeholder until its issue lands: registers the command so --help lists it.
export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('(not implemented yet)')
    .action(() => {
      console.error('bm-harness replay: not implemented yet');
      process.exitCode = 2;
    });
}
