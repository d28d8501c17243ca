// Standalone entry: `npm run provider` (node mock-provider/main.ts [--help]).
import { providerCommand } from './cli.ts';

await providerCommand().parseAsync(process.argv);
