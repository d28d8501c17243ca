import type { Command } from 'commander';

// Placeholder until its issue lands: registers the command so --help lists it.
export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('(not implemented yet)')
    .action(() => {
      console.error('bm-harness validate: not implemented yet');
      process.exitCode = 2;
    });
}
