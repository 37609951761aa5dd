/**
 * A hub for tests of the desk's connection: a real `guichet serve` process on its own database, with two
 * events of organizer `box-office` (`gala`, quota "Main hall" of 100, and `matinee`) and a team API token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../main/engine/engine';
import { enqueue, eventApiPath, type OutboxRow } from '../../main/engine/sync';
import { call, type ServerAnswer } from '../../main/sync/http';
import { HubProcess, prepareHubDatabase } from './processes';

export interface ServedHub {
  url: string;
  token: string;
  item: number;
  quota: number;
  process: HubProcess;
  /** A call to the hub's REST API with the team token, under `api/v1/organizers/box-office/`. */
  api(method: string, path: string, body?: unknown): Promise<ServerAnswer>;
  /** Places of "Main hall" still for sale at the hub. */
  available(): Promise<number>;
  /** A new device on the hub; its one-time pairing code. */
  newPairingCode(): Promise<string>;
  stop(): Promise<void>;
}

export async function startServedHub(): Promise<ServedHub> {
  const dir = mkdtempSync(join(tmpdir(), 'guichet-hub-'));
  const { dbPath, token, item, quota } = prepareHubDatabase(dir, 100, {
    quotaName: 'Main hall',
    otherEvents: ['matinee'],
  });
  const process = new HubProcess(dbPath);
  await process.start();
  const url = process.url;
  const api = (method: string, path: string, body?: unknown) =>
    call({ baseUrl: url, scheme: 'Token', token }, method, `api/v1/organizers/box-office/${path}`, {
      body,
    });
  return {
    url,
    token,
    item,
    quota,
    process,
    api,
    async available() {
      const answer = await api('GET', `events/gala/quotas/${quota}/availability/`);
      return (answer.body as { available_number: number }).available_number;
    },
    async newPairingCode() {
      const answer = await api('POST', 'devices/', { name: 'Desk', all_events: true });
      if (answer.status !== 201)
        throw new Error(`no device: ${answer.status} ${JSON.stringify(answer.body)}`);
      return (answer.body as { initialization_token: string }).initialization_token;
    },
    async stop() {
      await process.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An upload the hub refuses for good (a product 987654 it does not have), queued at a desk as order `code`. */
export function queueUploadTheHubRefuses(engine: Engine, code: string): OutboxRow {
  return engine.command((ctx) =>
    enqueue(ctx, {
      idempotencyKey: `refused-${code}`,
      kind: 'order',
      method: 'POST',
      path: `${eventApiPath('box-office', 'gala')}orders/`,
      orderCode: code,
      body: { code, status: 'p', positions: [{ item: 987654, price: '1.00' }] },
    }),
  );
}
