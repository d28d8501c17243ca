// Standalone entry: `npm run emulator` (node harness/emulator/main.ts [--help]).
import { emulatorCommand } from './cli.ts';

await emulatorCommand().parseAsync(process.argv);
