/**
 * Threads that answer `/viam-usage` commands, so the thread that reads and acks Slack's requests does
 * nothing else for them (decision 0020). Each answer thread is a replica of the app without a
 * receiver: its own store connection, Viam channel and Slack clients, built by the same
 * composeServices, so it coordinates with the acking thread through the store exactly as two
 * replicas do. Its log lines and counts come back here, to the app's one logger and /metrics.
 *
 * An answer that a thread cannot give (the thread stopped, or could not start) is never lost in
 * silence: the user gets one sentence at the command's response URL, and the next command starts a
 * new thread.
 */
import { Worker } from 'node:worker_threads';
import type { CommandFields } from '../handlers/commands/answer-command';
import { parseCommand } from '../handlers/commands/parse';
import type { Logger } from '../logger';
import type { MetricEvents, RequestOutcome } from '../metrics/app-metrics';
import type { AnswerThreadData } from './answer-thread';
import type { FromAnswerThread, ToAnswerThread } from './messages';
import { applyMetric } from './thread-metrics';

export interface AnswerThreadsOptions {
  count: number;
  /** What each thread builds its services from (plain data). */
  data: AnswerThreadData;
  logger: Logger;
  metrics: MetricEvents;
  /** Tells the user their command was not answered, with one sentence (at the command's response URL). */
  reportUnanswered: (fields: CommandFields, sentence: string) => Promise<void>;
  /** How long a thread may take to start. Default 60 s. */
  startTimeoutMs?: number;
}

export interface CommandAnswer {
  subcommand: string;
  outcome: RequestOutcome;
}

const STOPPED =
  'The app was interrupted while answering this command (its answer thread stopped). Run the command again.';
const CLOSE_TIMEOUT_MS = 10_000;

// Loads the thread's module; through tsx when the app runs from its TypeScript sources (tests, `npm run dev`).
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.entry.endsWith('.ts')) require('tsx/cjs');
require(workerData.entry).runAnswerThread();
`;

interface Pending {
  fields: CommandFields;
  resolve: (answer: CommandAnswer) => void;
}

class AnswerThread {
  readonly pending = new Map<number, Pending>();
  readonly ready: Promise<void>;
  private readonly closed: Promise<void>;
  private markReady!: () => void;
  private failReady!: (error: Error) => void;
  private markClosed!: () => void;
  private alive = true;

  constructor(
    private readonly worker: Worker,
    private readonly onMessage: (thread: AnswerThread, message: FromAnswerThread) => void,
    private readonly onStopped: (thread: AnswerThread, sentence: string) => void,
  ) {
    this.ready = new Promise((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // Nobody may wait for a replacement's start; its failure is reported through its pending answers.
    this.ready.catch(() => undefined);
    this.closed = new Promise((resolve) => {
      this.markClosed = resolve;
    });
    worker.on('message', (batch: FromAnswerThread[]) => {
      for (const message of batch) this.receive(message);
    });
    worker.on('error', (error) => this.stop(STOPPED, error));
    worker.on('exit', () => {
      this.stop(STOPPED);
      this.markClosed();
    });
  }

  get isAlive(): boolean {
    return this.alive;
  }

  send(message: ToAnswerThread): void {
    this.worker.postMessage(message);
  }

  /** Asks the thread to finish and close its connections; ends it if it does not within the timeout. */
  async close(): Promise<void> {
    if (this.alive) this.send({ kind: 'close' });
    const timer = setTimeout(() => void this.worker.terminate(), CLOSE_TIMEOUT_MS);
    await this.closed;
    clearTimeout(timer);
  }

  terminate(): Promise<number> {
    return this.worker.terminate();
  }

  private receive(message: FromAnswerThread): void {
    if (message.kind === 'ready') this.markReady();
    else if (message.kind === 'failed-to-start') this.stop(message.sentence, new Error(message.sentence));
    else this.onMessage(this, message);
  }

  private stop(sentence: string, error?: Error): void {
    if (!this.alive) return;
    this.alive = false;
    this.failReady(error ?? new Error(sentence));
    this.onStopped(this, sentence);
  }
}

export class AnswerThreads {
  private readonly threads: AnswerThread[] = [];
  private nextId = 1;
  private closing = false;

  private constructor(private readonly options: AnswerThreadsOptions) {}

  /** Starts the threads and waits until each has its store and clients; throws the first one's sentence otherwise. */
  static async start(options: AnswerThreadsOptions): Promise<AnswerThreads> {
    const pool = new AnswerThreads(options);
    for (let index = 0; index < options.count; index += 1) pool.threads.push(pool.spawn());
    try {
      await Promise.all(pool.threads.map((thread) => pool.withStartTimeout(thread)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  /** Answers on the thread with the fewest answers in hand; resolves once the answer is delivered or reported. */
  answer(fields: CommandFields): Promise<CommandAnswer> {
    const thread = this.pick();
    const id = this.nextId++;
    return new Promise<CommandAnswer>((resolve) => {
      thread.pending.set(id, { fields, resolve });
      // Only while shutting down can every thread be gone; the user hears it rather than nothing.
      if (thread.isAlive) thread.send({ kind: 'command', id, fields });
      else this.unanswered(thread, STOPPED);
    });
  }

  /** Answers still in hand (for tests and shutdown logs). */
  get inFlight(): number {
    return this.threads.reduce((sum, thread) => sum + thread.pending.size, 0);
  }

  /** Lets each thread finish what it holds (the caller drains first), then closes them. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.threads.map((thread) => thread.close()));
  }

  /** Ends the threads at once, as a crash would (tests of what users get then). */
  async terminateForTest(): Promise<void> {
    await Promise.all(this.threads.map((thread) => thread.terminate()));
  }

  private pick(): AnswerThread {
    for (let index = 0; index < this.threads.length; index += 1) {
      if (!this.threads[index]?.isAlive && !this.closing) this.threads[index] = this.spawn();
    }
    let best = this.threads[0] as AnswerThread;
    for (const thread of this.threads) if (thread.pending.size < best.pending.size) best = thread;
    return best;
  }

  private spawn(): AnswerThread {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: this.options.data });
    return new AnswerThread(
      worker,
      (thread, message) => this.receive(thread, message),
      (thread, sentence) => this.unanswered(thread, sentence),
    );
  }

  private async withStartTimeout(thread: AnswerThread): Promise<void> {
    const timeoutMs = this.options.startTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`The app's answer thread did not start within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([thread.ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private receive(thread: AnswerThread, message: FromAnswerThread): void {
    switch (message.kind) {
      case 'answered': {
        const pending = thread.pending.get(message.id);
        thread.pending.delete(message.id);
        pending?.resolve({ subcommand: message.subcommand, outcome: message.outcome });
        return;
      }
      case 'log': {
        const logger = this.options.logger.child(message.bindings);
        logger[message.level](message.fields as object, message.message);
        return;
      }
      case 'metric':
        applyMetric(this.options.metrics, message.name, message.args);
        return;
      default:
        return;
    }
  }

  /** A thread stopped: every answer it held is reported to its user, once. */
  private unanswered(thread: AnswerThread, sentence: string): void {
    const lost = [...thread.pending.values()];
    thread.pending.clear();
    if (lost.length > 0) this.options.logger.error({ answers: lost.length, reason: sentence }, 'answer thread stopped');
    for (const { fields, resolve } of lost) {
      const subcommand = parseCommand(fields.text).kind;
      this.options
        .reportUnanswered(fields, sentence)
        .catch((error: unknown) =>
          this.options.logger
            .child({ requestId: fields.requestId })
            .warn({ err: error }, 'could not deliver the error message to the user'),
        )
        .finally(() => resolve({ subcommand, outcome: 'error' }));
    }
  }
}
