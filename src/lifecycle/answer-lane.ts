/**
 * Acks first. Node reads new requests, and Bolt acks them, in the poll phase of its event loop; the
 * work behind earlier acks (rendering, the answer's POST, the next step of a digest) runs wherever its
 * promise resumes, usually in that same phase, ahead of requests still waiting to be read. Under load
 * a new request then waits behind every answer that became ready before it.
 *
 * The lane turns that order around: work that can wait asks for a turn, and turns are handed out one
 * per pass of the event loop, from setImmediate (the check phase, after poll). Between any two steps
 * of answer work the loop goes back to poll and reads and acks whatever arrived. Only CPU steps wait
 * for turns; I/O waits (Viam, the store, Slack) overlap freely, so a slow Viam for one workspace holds
 * back nobody else's answer.
 */
export class AnswerLane {
  private readonly waiting: Array<() => void> = [];
  private scheduled = false;

  /** Resolves on a later pass of the event loop, after requests that arrived meanwhile were read; in arrival order. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.scheduleNext();
    });
  }

  /** Steps waiting for a turn now (for metrics and tests). */
  get queued(): number {
    return this.waiting.length;
  }

  private scheduleNext(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      // One step per pass: the next turn is given on the following pass, after poll has run again.
      this.waiting.shift()?.();
      this.scheduleNext();
    });
  }
}
