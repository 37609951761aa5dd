import { z } from 'zod';

/**
 * A field that reads its input itself, missing and null values included (where pretix's serializer has
 * its own words for them); `drf.field` gives DRF's usual "required" and "may not be null" instead.
 */
export function checked<T>(parse: (input: unknown) => { value: T } | { error: string }) {
  return z.unknown().transform((input, ctx): T => {
    const result = parse(input);
    if ('error' in result) {
      ctx.addIssue({ code: 'custom', message: result.error, input });
      return z.NEVER;
    }
    return result.value;
  });
}
