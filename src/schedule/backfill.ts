/**
 * The one-time fill of a due queue from what the store already holds: schedules and orgs saved before
 * the due index existed. It lists every workspace, so it must run once per store rather than once per
 * start or tick: a marker in the due index (queue `due-backfill`, never taken) says it is done, and a
 * claim lets one replica do it while the others go on without waiting. A replica that dies half-way
 * leaves no marker, and a later tick of any replica starts over; filling only sets members that have
 * no due time yet, so doing it twice changes nothing.
 */
import { errorName, type Logger } from '../logger';
import { isStoreError, type Store, type WorkspaceRef } from '../store';

export const BACKFILL_QUEUE = 'due-backfill';
/** Long enough for a listing of a large store; a replica that dies holding it only delays the fill. */
const BACKFILL_CLAIM_TTL_MS = 30 * 60_000;

export interface DueBackfillOptions {
  store: Store;
  /** The queue being filled; also the marker's name. */
  queue: string;
  /** Names this process in the claim. */
  owner: string;
  logger: Logger;
  /** Sets the due times one workspace is missing; resolves to how many it set. */
  fill: (ref: WorkspaceRef, now: Date) => Promise<number>;
}

export type BackfillOutcome = 'done' | 'filled' | 'busy' | 'failed';

export class DueBackfill {
  /** Once this process has seen the marker, it never asks the store again. */
  private done = false;

  constructor(private readonly options: DueBackfillOptions) {}

  /** Fills the queue unless that was done already (one read) or another replica is doing it. Never throws. */
  async ensure(now: Date): Promise<BackfillOutcome> {
    if (this.done) return 'done';
    const { store, queue, owner, logger } = this.options;
    const claimKey = `${BACKFILL_QUEUE}:${queue}`;
    let claimed = false;
    try {
      if (await this.markerSet()) return 'done';
      claimed = await store.claims.claim(claimKey, owner, BACKFILL_CLAIM_TTL_MS);
      if (!claimed) return 'busy';
      // Whoever held the claim before may have finished meanwhile.
      if (await this.markerSet()) return 'done';
      const counts = await this.fillAll(now);
      await store.due.set(BACKFILL_QUEUE, queue, now);
      this.done = true;
      logger.info({ queue, ...counts }, 'due times filled in from the stored schedules');
      return 'filled';
    } catch (error) {
      logger.error({ queue, err: errorName(error) }, 'could not fill in due times; trying again at the next tick');
      return 'failed';
    } finally {
      if (claimed) {
        await store.claims.release(claimKey, owner).catch((error: unknown) => {
          logger.warn({ err: errorName(error) }, 'could not release the backfill claim; it expires by itself');
        });
      }
    }
  }

  private async markerSet(): Promise<boolean> {
    const marked = (await this.options.store.due.get(BACKFILL_QUEUE, this.options.queue)) !== undefined;
    if (marked) this.done = true;
    return marked;
  }

  /** A workspace that cannot be read is logged and left out; a store that stops answering ends the fill unmarked. */
  private async fillAll(now: Date): Promise<{ workspaces: number; filled: number; unreadable: number }> {
    const counts = { workspaces: 0, filled: 0, unreadable: 0 };
    for await (const ref of this.options.store.workspaces.listWorkspaces()) {
      counts.workspaces += 1;
      try {
        counts.filled += await this.options.fill(ref, now);
      } catch (error) {
        if (isStoreError(error) && (error.kind === 'unavailable' || error.kind === 'conflict')) throw error;
        counts.unreadable += 1;
        this.options.logger.warn(
          { teamId: ref.teamId, queue: this.options.queue, err: errorName(error) },
          'workspace left out of the due-time fill',
        );
      }
    }
    return counts;
  }
}
