/**
 * One worker thread that turns SVG into PNG with resvg, taking requests in order. resvg's own
 * renderAsync parses and draws on libuv's pool but encodes the PNG on the calling thread, and the pool
 * is the one file and DNS work waits on; a thread of our own keeps all of it off both.
 *
 * The worker's code is a short CommonJS string that loads only resvg (a native module), so it runs the
 * same from the TypeScript sources, the compiled build and the tests. The thread is unreferenced while
 * it has nothing to do, so it never keeps a process alive; a thread that dies fails what it held and
 * the next request starts a new one.
 */
import { Worker } from 'node:worker_threads';

// resvg's images hold native memory (a 2 MB pixmap each) that V8 does not see, and Node frees it only from an
// immediate after a garbage collection. So the worker collects its young objects after every chart and renders
// each chart in an immediate of its own: a port drains every queued message in one go, and with charts always
// waiting, the frees would never get their turn (about 2.4 MB kept per chart, measured).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Resvg } = require(workerData.resvgPath);
require('node:v8').setFlagsFromString('--expose-gc');
const collect = require('node:vm').runInNewContext('gc');
const waiting = [];
function renderNext() {
  const { id, svg } = waiting.shift();
  try {
    const png = new Resvg(svg, workerData.options).render().asPng();
    parentPort.postMessage({ id, png: new Uint8Array(png.buffer, png.byteOffset, png.byteLength) });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
  collect({ type: 'minor' });
  if (waiting.length > 0) setImmediate(renderNext);
}
parentPort.on('message', (request) => {
  waiting.push(request);
  if (waiting.length === 1) setImmediate(renderNext);
});
`;

type Answer = { id: number; png: Uint8Array } | { id: number; error: string };

interface Pending {
  resolve: (png: Buffer) => void;
  reject: (error: Error) => void;
}

export class RenderThread {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  /** `options` are resvg's render options, copied to the thread once. */
  constructor(private readonly options: object) {}

  render(svg: string): Promise<Buffer> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, svg });
    });
  }

  /** Stops the thread; what it still held fails. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
    this.failAll(new Error('the chart renderer was closed'));
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { resvgPath: require.resolve('@resvg/resvg-js'), options: this.options },
    });
    worker.on('message', (answer: Answer) => this.settle(answer));
    worker.on('error', (error) => this.died(worker, error));
    worker.on('exit', (code) => this.died(worker, new Error(`the chart renderer stopped (exit code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private settle(answer: Answer): void {
    const waiting = this.pending.get(answer.id);
    if (!waiting) return;
    this.pending.delete(answer.id);
    if (this.pending.size === 0) this.worker?.unref();
    if ('error' in answer) waiting.reject(new Error(`the chart could not be drawn: ${answer.error}`));
    else waiting.resolve(Buffer.from(answer.png.buffer, answer.png.byteOffset, answer.png.byteLength));
  }

  private died(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.failAll(error);
  }

  private failAll(error: Error): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const { reject } of waiting) reject(error);
  }
}
