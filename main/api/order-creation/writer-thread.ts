import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../../engine/engine';
import { createOrderAnswer } from './create-order';
import { carryError, type WriterAnswer, type WriterRequest } from './protocol';

/**
 * The order writer's thread: its own connection to the database the server has open, on which it runs
 * order creations exactly as the server would, in group commits of the requests that arrive together.
 */
const port = parentPort;
if (!port) throw new Error('The order writer runs as a worker thread.');
const { dbPath } = workerData as { dbPath: string };
const engine = Engine.open(dbPath, { alongside: true });
const answer = (message: WriterAnswer) => port.postMessage(message);
answer({ type: 'ready' });

port.on('message', (request: WriterRequest) => {
  if (request.type === 'close') {
    void engine.settled().then(() => {
      engine.close();
      port.close();
    });
    return;
  }
  createOrderAnswer(engine, request.creation).then(
    (json) => answer({ type: 'created', id: request.id, json }),
    (error: unknown) => answer({ type: 'failed', id: request.id, error: carryError(error) }),
  );
});
