import type { Command } from 'commander';

// Placeholder until its issue lands: registers the command so --help lists it.
export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('(not implemented yet)')
    .action(() => {
      console.error('bm-harness simulate: not implemented yet');
      process.exitCode = 2;
    });
}
