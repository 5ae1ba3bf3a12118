/**
 * Calls from the bench's main process into its child processes over Node's IPC channel: the child
 * serves a map of handlers, the parent calls them by name and awaits the answer. Typed end to end by
 * the handler map, so a child's API is declared once.
 */
import type { ChildProcess } from 'node:child_process';

export type Handlers = Record<string, (args: never) => unknown>;

interface CallMessage {
  rpc: 'call';
  id: number;
  method: string;
  args: unknown;
}

type ChildMessage =
  | { rpc: 'reply'; id: number; ok: true; value: unknown }
  | { rpc: 'reply'; id: number; ok: false; error: string }
  | { rpc: 'ready'; value: unknown };

/** In a child: answers the parent's calls with `handlers`, then tells the parent it is ready with `info`. */
export function serveParent(handlers: Handlers, info: unknown = {}): void {
  const send = (message: ChildMessage) => process.send?.(message);
  process.on('message', (message: CallMessage) => {
    if (message?.rpc !== 'call') return;
    const handler = handlers[message.method] as ((args: unknown) => unknown) | undefined;
    Promise.resolve()
      .then(() => {
        if (!handler) throw new Error(`no handler ${message.method}`);
        return handler(message.args);
      })
      .then(
        (value) => send({ rpc: 'reply', id: message.id, ok: true, value }),
        (error: unknown) =>
          send({
            rpc: 'reply',
            id: message.id,
            ok: false,
            error: error instanceof Error ? error.message : String(error),
          }),
      );
  });
  // The parent going away ends the child, so a failed bench never leaves processes behind.
  process.on('disconnect', () => process.exit(0));
  send({ rpc: 'ready', value: info });
}

/** In the parent: the calls a child serves, and the info it sent when ready. */
export class ChildLink<H extends Handlers, Info = unknown> {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  readonly ready: Promise<Info>;

  constructor(
    private readonly child: ChildProcess,
    private readonly describeExit: () => string,
  ) {
    this.ready = new Promise<Info>((resolve, reject) => {
      child.on('message', (message: ChildMessage) => {
        if (message.rpc === 'ready') resolve(message.value as Info);
        else if (message.rpc === 'reply') this.settle(message);
      });
      child.once('exit', () => {
        const error = new Error(this.describeExit());
        reject(error);
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
      });
    });
    // A failed start is reported by whoever awaits `ready`; this only keeps Node from calling it unhandled.
    this.ready.catch(() => undefined);
  }

  call<K extends keyof H & string>(method: K, ...args: Parameters<H[K]>): Promise<Awaited<ReturnType<H[K]>>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const message: CallMessage = { rpc: 'call', id, method, args: args[0] };
      this.child.send(message, (error) => {
        if (!error) return;
        this.pending.delete(id);
        reject(error);
      });
    });
  }

  private settle(message: Extract<ChildMessage, { rpc: 'reply' }>): void {
    const waiter = this.pending.get(message.id);
    if (!waiter) return;
    this.pending.delete(message.id);
    if (message.ok) waiter.resolve(message.value);
    else waiter.reject(new Error(message.error));
  }
}
