/**
 * The one way digests, their failure notices and alerts are posted exactly once across replicas and
 * restarts ([0005](../../docs/decisions/0005-exactly-once-digests.md)):
 *
 *   claim (atomic, in the store) -> re-read the record -> look for a post left in doubt ->
 *   wait the channel's turn -> record the attempt -> post (tagged) -> record the ts
 *
 * The callers own their records (a digest run, an alert in the ledger) and say how each step is
 * written; this module owns the order of the steps and the Slack side of them.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { webApi } from '@slack/bolt';
import type { SlackMessage } from '../blocks/message';
import type { ChannelPacer } from '../digest/pacing';
import { errorName, type Logger } from '../logger';
import { type Store, type WorkspaceRef, workspaceScopedKey } from '../store';
import { findTagged, postTagged } from './tagged-message';

/** Names a process in claims: host, pid and a random suffix. */
export function defaultOwner(): string {
  return `${hostname().slice(0, 60)}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

/** Where a tagged message goes and what it is tagged with. */
export interface TaggedTarget {
  ref: WorkspaceRef;
  client: webApi.WebClient;
  channelId: string;
  /** Message metadata `event_type`, e.g. `viam_billing_digest`. */
  eventType: string;
  /** Message metadata `event_payload.run_id`: unique per thing posted once. */
  runId: string;
  log: Logger;
}

/** How the caller records each step of a delivery, in its own record. */
export interface DeliveryRecording<T> {
  /** Before the message goes out: from here on a crash leaves the post in doubt, as of `at` (ISO 8601). */
  attempting(at: string): Promise<void>;
  /** After Slack answered (a posted message's ts). */
  posted(sent: T): Promise<void>;
  /** Slack (or the network) failed the post; said before the failure is thrown on. */
  failed?(error: unknown): Promise<void>;
}

export type PostRecording = DeliveryRecording<string>;

export const BUSY = Symbol('busy');

export interface ExactlyOncePosterOptions {
  store: Store;
  /** Names this process in claims. */
  owner: string;
  /** How long a claim protects work in progress. */
  claimTtlMs: number;
  /** Spaces posts per channel; shared by everything that posts, so they queue behind each other. */
  pacer: ChannelPacer;
  now: () => Date;
}

export class ExactlyOncePoster {
  constructor(private readonly options: ExactlyOncePosterOptions) {}

  /**
   * Runs `work` holding the claim on `key`, or resolves to BUSY when another process holds it. The
   * claim is given back afterwards however `work` ends; one that cannot be given back expires.
   */
  async underClaim<T>(key: string, log: Logger, work: () => Promise<T>): Promise<T | typeof BUSY> {
    const { store, owner, claimTtlMs } = this.options;
    if (!(await store.claims.claim(key, owner, claimTtlMs))) return BUSY;
    try {
      return await work();
    } finally {
      await store.claims.release(key, owner).catch((error: unknown) => {
        log.warn({ err: errorName(error) }, 'could not release a claim; it expires by itself');
      });
    }
  }

  /**
   * The ts of a message an earlier attempt posted, when that attempt's outcome is in doubt (it was
   * attempted at `inDoubtSince`, ISO 8601) and its tagged message is in the channel's history.
   */
  async earlierPost(target: TaggedTarget, inDoubtSince: string | undefined): Promise<string | undefined> {
    if (inDoubtSince === undefined) return undefined;
    const { client, channelId, eventType, runId, log } = target;
    return findTagged(client, channelId, new Date(inDoubtSince), eventType, runId, log);
  }

  /** Waits the channel's turn, records the attempt, posts the tagged message and records its ts. */
  post(target: TaggedTarget, message: SlackMessage, recording: PostRecording): Promise<string> {
    const { ref, client, channelId, eventType, runId } = target;
    return this.deliver(ref, channelId, recording, () => postTagged(client, channelId, message, eventType, runId));
  }

  /**
   * The steps of `post` around any way of sending: wait the channel's turn, record the attempt, send,
   * record what Slack answered. A file share sends this way, found again by its file ID instead of a tag.
   */
  async deliver<T>(
    ref: WorkspaceRef,
    channelId: string,
    recording: DeliveryRecording<T>,
    send: () => Promise<T>,
  ): Promise<T> {
    await this.options.pacer.acquire(channelKey(ref, channelId));
    await recording.attempting(this.options.now().toISOString());
    let sent: T;
    try {
      sent = await send();
    } catch (error) {
      await recording.failed?.(error);
      throw error;
    }
    await recording.posted(sent);
    return sent;
  }
}

/** The pacer's key of a channel: posts to one channel wait their turn, other channels do not. */
export function channelKey(ref: WorkspaceRef, channelId: string): string {
  return workspaceScopedKey(ref, 'channel', channelId);
}
