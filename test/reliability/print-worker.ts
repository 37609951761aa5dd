// Runs the print queue on a database until it is killed; says "ready" once the queue has started.
import { Engine } from '../../main/engine/engine';
import { PrintQueue } from '../../main/printing/queue';

const engine = Engine.open(process.argv[2]!);
const queue = new PrintQueue(engine, { retryMs: 50, responseTimeoutMs: 5000 });
queue.start();
process.stdout.write('ready\n');
setInterval(() => queue.kick(), 200);
