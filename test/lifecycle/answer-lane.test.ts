import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnswerLane } from '../../src/lifecycle/answer-lane';

/** Keeps the thread busy, as rendering an answer does. */
function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

describe('AnswerLane', () => {
  it('gives turns in the order they were asked for, one per pass of the event loop', async () => {
    const lane = new AnswerLane();
    const order: string[] = [];
    let timerSet = false;
    const steps = [1, 2, 3].map(async (step) => {
      await lane.turn();
      order.push(`turn ${step}`);
      if (!timerSet) {
        timerSet = true;
        // Due at the next pass's timers phase: it must run before the second turn is given.
        setTimeout(() => order.push('timer'), 0);
        busyFor(5);
      }
    });
    expect(lane.queued).toBe(3);
    await Promise.all(steps);
    expect(order).toEqual(['turn 1', 'timer', 'turn 2', 'turn 3']);
    expect(lane.queued).toBe(0);
  });

  it('reads and answers a request that arrives while answer work is queued before the queued work', async () => {
    const lane = new AnswerLane();
    const served: string[] = [];
    const server = createServer((_req, res) => {
      served.push('request');
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answered = new Promise<void>((resolve, reject) => {
        const sent = request({ host: '127.0.0.1', port, path: '/' }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        sent.on('error', reject);
        sent.end();
      });
      // Forty steps of 5 ms: without turns they would all run before the request is read.
      const work = Array.from({ length: 40 }, async (_, step) => {
        await lane.turn();
        served.push(`step ${step}`);
        busyFor(5);
      });
      await Promise.all([answered, ...work]);
      const requestAt = served.indexOf('request');
      expect(requestAt).toBeGreaterThanOrEqual(0);
      // The connection needs a few passes to be accepted and read; far fewer than forty steps.
      expect(requestAt).toBeLessThan(10);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
