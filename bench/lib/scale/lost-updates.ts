/**
 * 1,000 setting changes at once across two replicas: signed `/viam-usage access add|remove @user`
 * commands against two seeded workspaces. Each workspace starts with 250 viewers; 250 commands remove
 * them and 250 add new people, so the list never passes the app's cap of 500 whatever the order, and
 * the expected end state is exactly the 250 added. The commands are shuffled and dealt to the replicas
 * in turn, all in flight together. Every answer is read at its response URL, then the store is read.
 */
import { sendSlashCommand } from '../../../dev/slack-stand-in';
import { silentLogger } from '../../../src/logger';
import { openStore, type WorkspaceRef } from '../../../src/store';
import { BENCH_ENCRYPTION_KEY } from '../app-env';
import { eachConcurrently } from '../concurrency';
import type { Support } from '../support';
import { CONNECTOR, scaleRef, seededChannel } from './plan';

export const CHANGES = 1_000;
const WORKSPACES = 2;
const PER_WORKSPACE = CHANGES / WORKSPACES / 2;

export interface LostUpdateOutcome {
  changes: number;
  /** Changes the app said it made (its answer) that the final state does not show. */
  lostUpdates: number;
  /** Commands answered with anything but the change's confirmation, or not answered. */
  failedChanges: number;
  /** Differences between the final viewer lists and the expected ones, whatever the cause. */
  mismatches: number;
  /** HTTP acks other than 200. */
  badAcks: number;
  wallMs: number;
  perReplica: number[];
}

interface Change {
  index: number;
  ref: WorkspaceRef;
  action: 'add' | 'remove';
  userId: string;
}

function viewer(workspace: number, kind: 'R' | 'A', n: number): string {
  return `U${kind}${workspace}${String(n).padStart(6, '0')}`;
}

/** The two workspaces changed: the last two seeded ones. */
export function changedWorkspaces(seeded: number): number[] {
  return Array.from({ length: WORKSPACES }, (_, offset) => seeded - 1 - offset);
}

/** Gives each changed workspace its 250 viewers to remove, through the store, before the replicas start. */
export async function grantInitialViewers(storeUrl: string, dataDir: string, seeded: number): Promise<void> {
  const store = await openStore({
    url: storeUrl,
    dataDir,
    encryptionKey: BENCH_ENCRYPTION_KEY,
    logger: silentLogger(),
  });
  try {
    for (const [position, index] of changedWorkspaces(seeded).entries()) {
      for (let n = 0; n < PER_WORKSPACE; n++)
        await store.workspaces.grantViewer(scaleRef(index), viewer(position, 'R', n));
    }
  } finally {
    await store.close();
  }
}

/** A fixed shuffle (mulberry32), so every run sends the same interleaving. */
function shuffled<T>(items: T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

export async function runLostUpdates(options: {
  replicaUrls: readonly string[];
  support: Support;
  storeUrl: string;
  dataDir: string;
  seeded: number;
}): Promise<LostUpdateOutcome> {
  const changed = changedWorkspaces(options.seeded);
  const changes = shuffled(
    changed.flatMap((index, position) =>
      Array.from({ length: PER_WORKSPACE }, (_, n) => [
        { index, ref: scaleRef(index), action: 'remove' as const, userId: viewer(position, 'R', n) },
        { index, ref: scaleRef(index), action: 'add' as const, userId: viewer(position, 'A', n) },
      ]).flat(),
    ),
    12,
  );
  const urls = await options.support.link.call('responseUrls', { count: changes.length });
  const { signingSecret } = options.support.info;
  const perReplica = options.replicaUrls.map(() => 0);
  let badAcks = 0;
  const started = performance.now();
  await eachConcurrently(changes.length, changes.length, async (position) => {
    const change = changes[position] as Change;
    const replica = position % options.replicaUrls.length;
    perReplica[replica] = (perReplica[replica] ?? 0) + 1;
    const ack = await sendSlashCommand({
      appUrl: options.replicaUrls[replica] as string,
      signingSecret,
      team: change.ref.teamId,
      user: CONNECTOR,
      channel: seededChannel(change.index),
      text: `access ${change.action} <@${change.userId}>`,
      responseUrl: urls[position] as string,
    });
    if (ack.status !== 200) badAcks += 1;
  });
  const texts = await waitForAnswers(options.support, urls, 120_000);
  const wallMs = performance.now() - started;

  const confirmed = changes.map((change, position) => {
    const text = texts[position] ?? '';
    return change.action === 'add'
      ? text.includes('can now see Viam billing')
      : text.includes('no longer has view access');
  });
  const store = await openStore({
    url: options.storeUrl,
    dataDir: options.dataDir,
    encryptionKey: BENCH_ENCRYPTION_KEY,
    logger: silentLogger(),
  });
  try {
    const viewers = new Map<number, Set<string>>();
    for (const index of changed) viewers.set(index, new Set((await store.workspaces.get(scaleRef(index))).viewers));
    let lostUpdates = 0;
    let mismatches = 0;
    changes.forEach((change, position) => {
      const present = viewers.get(change.index)?.has(change.userId) ?? false;
      const applied = change.action === 'add' ? present : !present;
      if (!applied) {
        mismatches += 1;
        if (confirmed[position]) lostUpdates += 1;
      }
    });
    // Anyone on a list who was neither there at the start nor added is a mismatch too.
    const known = new Set(changes.map((change) => change.userId));
    for (const list of viewers.values()) for (const id of list) if (!known.has(id)) mismatches += 1;
    return {
      changes: changes.length,
      lostUpdates,
      failedChanges: confirmed.filter((ok) => !ok).length,
      mismatches,
      badAcks,
      wallMs,
      perReplica,
    };
  } finally {
    await store.close();
  }
}

/** Polls the stand-in until every response URL has its answer (or the time is up: missing ones are null). */
async function waitForAnswers(support: Support, urls: string[], timeoutMs: number): Promise<Array<string | null>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const texts = await support.link.call('answerTexts', { urls });
    if (texts.every((text) => text !== null) || performance.now() > deadline) return texts;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
