// `node --import ./register.mjs dist/electron/main.mjs`: the desktop app's main bundle with `electron`
// resolved to the stand-in next to this file.
import { register } from 'node:module';

register('./hooks.mjs', import.meta.url);
