// Worker-thread entry of a bulk ticket export: loads the TypeScript job through tsx, so the same code
// runs from the CLI, under vitest and in the app.
import { register } from 'tsx/esm/api';

register();
await import('./export-job.ts');
