import { Writable } from 'node:stream';
import { type RunningEmulator, startEmulator } from '../../dev/emulator';
import { type BillingClientOptions, createBillingClient, type ViamBillingClient } from '../../src/billing/client';
import type { ViamApiKey } from '../../src/billing/model';
import { createLogger, type Logger } from '../../src/logger';

/** Shared setup for the billing client's end-to-end tests: emulator, client, captured logs, a clock. */

export interface LogCapture {
  logger: Logger;
  /** Every line written so far, raw JSON text. */
  lines: string[];
  text(): string;
}

/** A real pino logger at debug level writing to memory, so tests see exactly what operators would. */
export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  return { logger: createLogger({ level: 'debug' }, destination), lines, text: () => lines.join('\n') };
}

export interface ManualClock {
  now: () => Date;
  set(date: Date): void;
  advance(ms: number): void;
}

export function manualClock(start = new Date('2026-11-16T12:00:00Z')): ManualClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (date) => {
      current = date.getTime();
    },
    advance: (ms) => {
      current += ms;
    },
  };
}

export interface Harness {
  emulator: RunningEmulator;
  client: ViamBillingClient;
  logs: LogCapture;
  /** The first demo org's key and org id. */
  key: ViamApiKey;
  orgId: string;
  /** A second org with its own key. */
  otherKey: ViamApiKey;
  otherOrgId: string;
  /** Sleeps the client asked for (retries never really wait). */
  sleeps: number[];
  /** A client on the same emulator with other options; closed by stop(). */
  newClient(options?: BillingClientOptions): ViamBillingClient;
  stop(): Promise<void>;
}

export async function startHarness(
  options: { emulator?: Parameters<typeof startEmulator>[0]; client?: BillingClientOptions } = {},
): Promise<Harness> {
  const emulator = await startEmulator(options.emulator);
  const logs = captureLogs();
  const sleeps: number[] = [];
  const clients: ViamBillingClient[] = [];
  const newClient = (extra: BillingClientOptions = {}) => {
    const client = createBillingClient({
      url: emulator.url,
      logger: logs.logger,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      ...options.client,
      ...extra,
    });
    clients.push(client);
    return client;
  };
  const [first, second] = emulator.orgs;
  if (!first || !second) throw new Error('the default fixture should have two orgs');
  return {
    emulator,
    client: newClient(),
    logs,
    key: { id: first.apiKeyId, key: first.apiKey },
    orgId: first.orgId,
    otherKey: { id: second.apiKeyId, key: second.apiKey },
    otherOrgId: second.orgId,
    sleeps,
    newClient,
    async stop() {
      for (const client of clients) client.close();
      await emulator.stop();
    },
  };
}

/** The rejection of a promise, failing the test if it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}
