import { z } from 'zod';

/** The inputs desk methods share: none at all, and the id of a row. */
export const empty = z.object({}).strict();
export const id = z.number().int().positive();
