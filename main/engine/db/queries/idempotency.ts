import type { ReadableDB, WritableDB } from '../handles';
import { insertRow } from './common';
import type { ApiCallRow } from '../rows';

export function deleteApiCallsBefore(db: WritableDB, cutoff: string): number {
  return db.prepare('DELETE FROM api_calls WHERE created < ?').run(cutoff).changes;
}

export function findApiCall(
  db: ReadableDB,
  authHash: string,
  key: string,
  createdSince: string,
): ApiCallRow | undefined {
  return db
    .prepare<[string, string, string], ApiCallRow>(
      'SELECT * FROM api_calls WHERE auth_hash = ? AND idempotency_key = ? AND created >= ?',
    )
    .get(authHash, key, createdSince);
}

export function insertApiCall(
  db: WritableDB,
  row: Pick<
    ApiCallRow,
    'idempotency_key' | 'auth_hash' | 'created' | 'locked' | 'request_method' | 'request_path'
  >,
): number {
  return insertRow(db, 'api_calls', row);
}

export function storeApiCallResponse(
  db: WritableDB,
  id: number,
  response: Pick<ApiCallRow, 'response_code' | 'response_headers' | 'response_body'>,
): void {
  db.prepare(
    `UPDATE api_calls SET locked = NULL, response_code = ?, response_headers = ?, response_body = ?
     WHERE id = ?`,
  ).run(response.response_code, response.response_headers, response.response_body, id);
}

export function deleteApiCall(db: WritableDB, id: number): void {
  db.prepare('DELETE FROM api_calls WHERE id = ?').run(id);
}
