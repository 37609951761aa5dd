import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../../engine/engine';
import { createOrderAnswer } from './create-order';
import { batcher, carryError, type CreationOutcome, type WriterAnswer, type WriterRequest } from './protocol';

/**
 * The order writer's thread: its own connection to the database the server has open, on which it runs
 * order creations exactly as the server would, in group commits of the requests that arrive together.
 */
const port = parentPort;
if (!port) throw new Error('The order writer runs as a worker thread.');
const { dbPath } = workerData as { dbPath: string };
const engine = Engine.open(dbPath, { alongside: true });
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
    createOrderAnswer(engine, creation).then(
      (json) => settle({ id, json }),
      (error: unknown) => settle({ id, error: carryError(error) }),
    );
  }
});
