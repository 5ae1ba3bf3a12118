/**
 * The due minute: `count` workspaces each get a digest for a new channel at the coming minute, set
 * through the app's own DigestSchedules (which puts it in the due index), and the two replicas' minute
 * ticks take them. Posts are counted where they arrive, at the Slack stand-in: each channel must get
 * exactly one.
 */
import { DigestSchedules } from '../../../src/digest/schedules';
import { silentLogger } from '../../../src/logger';
import { openStore } from '../../../src/store';
import { BENCH_ENCRYPTION_KEY } from '../app-env';
import { eachConcurrently } from '../concurrency';
import type { Support } from '../support';
import { CONNECTOR, dueChannel, scaleRef, slotAt, zoneOf } from './plan';

const SET_CONCURRENCY = 32;
export const DUE_CHANNEL_PREFIX = 'CD';

/** Resolves to the milliseconds it took to set the schedules. */
export async function scheduleDueDigests(options: {
  storeUrl: string;
  dataDir: string;
  count: number;
  dueAt: Date;
}): Promise<number> {
  const started = performance.now();
  const logger = silentLogger();
  const store = await openStore({
    url: options.storeUrl,
    dataDir: options.dataDir,
    encryptionKey: BENCH_ENCRYPTION_KEY,
    logger,
  });
  try {
    const schedules = new DigestSchedules(store, logger);
    const createdAt = new Date().toISOString();
    await eachConcurrently(options.count, SET_CONCURRENCY, async (index) => {
      await schedules.set(scaleRef(index), {
        ...slotAt(options.dueAt, zoneOf(index)),
        channelId: dueChannel(index),
        orgLabel: 'default',
        createdBy: CONNECTOR,
        createdAt,
      });
    });
  } finally {
    await store.close();
  }
  return performance.now() - started;
}

export interface DueOutcome {
  /** Channels that received the digest. */
  posted: number;
  /** Posts beyond the first in a channel. */
  duplicates: number;
  /** From the due minute to the last post's arrival; undefined when nothing arrived. */
  wallMs?: number;
  /** From the due minute to the first post. */
  firstPostMs?: number;
  /** chat.postMessage calls the stand-in refused, by error. */
  errors: Record<string, number>;
  /** True when the posts stopped short of `count` before the deadline. */
  timedOut: boolean;
}

/** Waits for one post per due channel (or `timeoutMs` after the due minute), then `settleMs` more for any duplicate. */
export async function awaitDueDigests(options: {
  support: Support;
  count: number;
  dueAt: Date;
  timeoutMs: number;
  settleMs: number;
}): Promise<DueOutcome> {
  const deadline = options.dueAt.getTime() + options.timeoutMs;
  let stats = await options.support.link.call('channelPosts', { prefix: DUE_CHANNEL_PREFIX });
  while (stats.channels < options.count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    stats = await options.support.link.call('channelPosts', { prefix: DUE_CHANNEL_PREFIX });
  }
  const timedOut = stats.channels < options.count;
  await new Promise((resolve) => setTimeout(resolve, options.settleMs));
  stats = await options.support.link.call('channelPosts', { prefix: DUE_CHANNEL_PREFIX });
  const due = options.dueAt.getTime();
  return {
    posted: stats.channels,
    duplicates: stats.posts - stats.channels,
    ...(stats.lastAt !== undefined ? { wallMs: stats.lastAt - due } : {}),
    ...(stats.firstAt !== undefined ? { firstPostMs: stats.firstAt - due } : {}),
    errors: stats.errors,
    timedOut,
  };
}
