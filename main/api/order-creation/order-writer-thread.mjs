// Entry of the order writer's thread in a source checkout: TypeScript runs through tsx, as in the thread
// that starts it. The desktop build bundles `writer-thread.ts` under this file's name instead.
import { register } from 'tsx/esm/api';

register();
await import('./writer-thread.ts');
