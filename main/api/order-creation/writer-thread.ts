import { parentPort, workerData } from 'node:worker_threads';
import { Engine } from '../../engine/engine';
import { placeCreation } from './create-order';
import {
  batcher,
  carryError,
  type CreationOutcome,
  type WriterAnswer,
  type WriterRequest,
  type WriterThreadData,
} from './protocol';
import { Checkpointer, runCheckpointer } from './wal-checkpointer';

/**
 * Small groups: the server's thread answers one group's clients and reads their next requests while this
 * thread writes the next group, instead of the two threads taking turns over one large group. Each commit
 * costs more per order, but both cores work (REST creations per second, 32 connections, groups of 64
 * against 8, alternating runs: 1,652–2,003 against 2,473–3,502).
 */
const GROUP = 8;
/** The writer's own checkpoints, only should the checkpointer thread fall behind: 4 times SQLite's default. */
const BACKSTOP_CHECKPOINT_PAGES = 4000;

/**
 * The order writer's thread: its own connection to the database the server has open, on which it runs
 * order creations exactly as the server would, in group commits of the requests that arrive together.
 */
function runWriter(port: NonNullable<typeof parentPort>, dbPath: string, entry: URL): void {
  const engine = Engine.open(dbPath, {
    alongside: true,
    maxGroup: GROUP,
    autoCheckpointPages: BACKSTOP_CHECKPOINT_PAGES,
    answerBeforeWalFlush: true,
  });
  const checkpointer = new Checkpointer(entry, dbPath);
  const answer = (message: WriterAnswer) => port.postMessage(message);
  // A group's outcomes leave as soon as its commit returns, at the end of the task that ran it, before the
  // next group runs; the server's thread makes the commit durable before anyone hears of it.
  const settle = batcher<CreationOutcome>((outcomes) => {
    answer({ type: 'settled', outcomes });
    checkpointer.nudge();
  }, queueMicrotask);
  answer({ type: 'ready' });

  port.on('message', (request: WriterRequest) => {
    if (request.type === 'close') {
      void engine
        .settled()
        .then(() => engine.close())
        .then(() => checkpointer.close())
        .then(() => port.close());
      return;
    }
    for (const { id, creation } of request.batch) {
      placeCreation(engine, creation).then(
        (order) => settle({ id, order }),
        (error: unknown) => settle({ id, error: carryError(error) }),
      );
    }
  });
}

const port = parentPort;
if (!port) throw new Error('The order writer runs as a worker thread.');
const data = workerData as WriterThreadData;
if (data.role === 'checkpointer') runCheckpointer(port, data.dbPath);
else runWriter(port, data.dbPath, new URL(data.entry));
