import { writeFileSync } from 'node:fs';
import { rowTypesSource } from '../main/engine/db/row-types';

writeFileSync(new URL('../main/engine/db/rows.ts', import.meta.url), rowTypesSource());
