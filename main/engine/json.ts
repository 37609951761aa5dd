/** A value that JSON can carry as it is: what the engine stores as JSON text and reads back. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object (a request body, a stored document). */
export type JsonObject = { [key: string]: JsonValue };
