/**
 * Open-loop load: commands sent at a fixed arrival rate whatever the app does with them, as Slack's
 * users would send them. A closed loop (a fixed number in flight) slows down with the app and so hides
 * a backlog; an open loop shows it as growing latency.
 */
import { type CommandTarget, sendCommand } from './commands';

export interface OpenLoopRun {
  ratePerSecond: number;
  /** Milliseconds from sending each command to the end of its ack, in send order. */
  ackMs: number[];
  /** Wall-clock time (epoch ms) each command was sent, in send order. */
  sentAtMs: number[];
  /** How late the generator itself sent its latest command, in ms; a large figure means the load was not the rate asked for. */
  maxSendLagMs: number;
  /** Commands the app did not answer with HTTP 200. */
  failures: number;
}

const wallNow = () => performance.timeOrigin + performance.now();

/**
 * Sends one command per response URL, the i-th at `i / ratePerSecond` seconds after the start, each on
 * a fresh connection and without waiting for earlier ones. Resolves once every ack is in.
 */
export async function sendAtRate(
  target: CommandTarget,
  responseUrls: readonly string[],
  ratePerSecond: number,
): Promise<OpenLoopRun> {
  const intervalMs = 1000 / ratePerSecond;
  const ackMs: number[] = new Array(responseUrls.length);
  const sentAtMs: number[] = new Array(responseUrls.length);
  let failures = 0;
  let maxSendLagMs = 0;
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let index = 0; index < responseUrls.length; index++) {
    const due = start + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    maxSendLagMs = Math.max(maxSendLagMs, performance.now() - due);
    sentAtMs[index] = wallNow();
    inFlight.push(
      sendCommand(target, responseUrls[index] as string, index).then(
        (ack) => {
          ackMs[index] = ack.ackMs;
          if (ack.status !== 200) failures++;
        },
        () => {
          ackMs[index] = Number.NaN;
          failures++;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  return { ratePerSecond, ackMs, sentAtMs, maxSendLagMs, failures };
}

/** How many commands a run at `ratePerSecond` sends: enough for a p99, and at least `minSeconds` of load. */
export function commandsAtRate(ratePerSecond: number, minSeconds: number, minCommands: number): number {
  return Math.max(minCommands, Math.round(ratePerSecond * minSeconds));
}
