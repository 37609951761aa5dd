import type { WritableDB } from '../handles';
import { insertRow } from './common';
import type { ApiCallRow, DeskActionRow } from '../rows';
import { readOne, write } from './statements';

export const deleteApiCallsBefore = write<[cutoff: string]>('DELETE FROM api_calls WHERE created < ?');

export const findApiCall = readOne<[authHash: string, key: string, createdSince: string], ApiCallRow>(
  'SELECT * FROM api_calls WHERE auth_hash = ? AND idempotency_key = ? AND created >= ?',
);

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

export const findDeskAction = readOne<[actionKey: string], DeskActionRow>(
  'SELECT * FROM desk_actions WHERE action_key = ?',
);

export const insertDeskAction = write<[row: DeskActionRow]>(
  `INSERT INTO desk_actions (action_key, action, request_digest, result, created)
   VALUES (@action_key, @action, @request_digest, @result, @created)`,
);
