import type { FromAnswerThread } from './messages';

/** How long an answer thread's messages may wait to travel together. The user's answer never waits for it. */
export const OUTBOX_DELAY_MS = 20;

/**
 * Messages from an answer thread, sent together at most every OUTBOX_DELAY_MS. Each batch the main
 * thread receives wakes it and costs it a task, taken from reading and acking; an answer brings its
 * log line, its Viam call counts and its outcome, so one batch carries many answers' worth. What
 * travels here is bookkeeping (logs, counts, the outcome for /metrics and shutdown's drain): the
 * user's answer has already gone to Slack from the thread itself.
 */
export class Outbox {
  private waiting: FromAnswerThread[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly post: (batch: FromAnswerThread[]) => void,
    private readonly delayMs = OUTBOX_DELAY_MS,
  ) {}

  send(message: FromAnswerThread): void {
    this.waiting.push(message);
    this.timer ??= setTimeout(() => this.flush(), this.delayMs);
  }

  /** Sends what is waiting now (start-up news, and before the thread exits). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    const batch = this.waiting;
    this.waiting = [];
    this.post(batch);
  }
}
