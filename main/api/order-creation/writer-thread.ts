import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../../engine/engine';
import { placeCreation } from './create-order';
import { batcher, carryError, type CreationOutcome, type WriterAnswer, type WriterRequest } from './protocol';

/**
 * The order writer's thread: its own connection to the database the server has open, on which it runs
 * order creations exactly as the server would, in group commits of the requests that arrive together.
 */
const port = parentPort;
if (!port) throw new Error('The order writer runs as a worker thread.');
const { dbPath } = workerData as { dbPath: string };
/**
 * Small groups: the server's thread answers one group's clients and reads their next requests while this
 * thread writes the next group, instead of the two threads taking turns over one large group. Each commit
 * costs more per order, but both cores work (REST creations per second, 32 connections, groups of 64
 * against 8, alternating runs: 1,652–2,003 against 2,473–3,502).
 */
const GROUP = 8;
const engine = Engine.open(dbPath, { alongside: true, maxGroup: GROUP });
const answer = (message: WriterAnswer) => port.postMessage(message);
const settle = batcher<CreationOutcome>((outcomes) => answer({ type: 'settled', outcomes }));
answer({ type: 'ready' });

port.on('message', (request: WriterRequest) => {
  if (request.type === 'close') {
    void engine.settled().then(() => {
      engine.close();
      port.close();
    });
    return;
  }
  for (const { id, creation } of request.batch) {
    placeCreation(engine, creation).then(
      (order) => settle({ id, order }),
      (error: unknown) => settle({ id, error: carryError(error) }),
    );
  }
});
