/** `revoked_at` → `revokedAt`: the desk's contract names in camelCase what the engine's rows name in snake_case. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;

export type CamelCased<T, K extends keyof T & string> = { [P in K as CamelCase<P>]: T[P] };

/** The chosen fields of an engine record, renamed for the desk's contract. */
export function camelCased<T, K extends keyof T & string>(record: T, keys: readonly K[]): CamelCased<T, K> {
  const view: Record<string, unknown> = {};
  for (const key of keys) view[key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())] = record[key];
  return view as CamelCased<T, K>;
}
