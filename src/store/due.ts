import { StoreError } from './errors';
import { checkedLength } from './keys';
import type { Kv } from './keyv';

/**
 * When each piece of recurring work is next due, ordered by the engine (a Redis sorted set, an indexed
 * SQL table), so finding due work costs O(due + log N) however many schedules exist. `take` hands
 * each due member to exactly one caller across replicas, with a lease: a taker that crashes before it
 * writes the next due time back lets the member come due again when the lease ends.
 *
 * Members that are workspace-scoped keys (`ws:<wk>:…`, from workspaceScopedKey) are deleted with the
 * workspace, and setting one for a deleted workspace fails with StoreError('gone').
 */
export interface DueItem {
  member: string;
  /** When it was due before it was taken. */
  dueAt: Date;
}

const QUEUE = /^[a-z][a-z0-9-]{0,31}$/;
const MEMBER = /^[A-Za-z0-9._@+-][A-Za-z0-9._@+:/|-]*$/;
const MAX_TAKE = 10_000;

export class DueIndex {
  constructor(private readonly kv: Kv) {}

  /** Sets (or moves) when `member` of `queue` is next due. */
  async set(queue: string, member: string, dueAt: Date): Promise<void> {
    assertQueue(queue);
    assertMember(member);
    if ((await this.kv.due.set(queue, member, dueAt.getTime())) === 'gone') throw new StoreError('gone');
  }

  /** True when the member was scheduled. */
  async remove(queue: string, member: string): Promise<boolean> {
    assertQueue(queue);
    assertMember(member);
    return this.kv.due.remove(queue, member);
  }

  /** Takes up to `limit` members due at `now`, earliest first, each leased to this caller for `leaseMs`. */
  async take(queue: string, now: Date, limit: number, leaseMs: number): Promise<DueItem[]> {
    assertQueue(queue);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TAKE) {
      throw new StoreError('invalid', `Due work is taken 1 to ${MAX_TAKE} items at a time.`);
    }
    if (!Number.isInteger(leaseMs) || leaseMs < 1)
      throw new StoreError('invalid', 'A lease is a positive whole number of milliseconds.');
    const taken = await this.kv.due.take(queue, now.getTime(), limit, leaseMs);
    return taken.map(({ member, dueAtMs }) => ({ member, dueAt: new Date(dueAtMs) }));
  }

  async get(queue: string, member: string): Promise<Date | undefined> {
    assertQueue(queue);
    assertMember(member);
    const at = await this.kv.due.get(queue, member);
    return at === undefined ? undefined : new Date(at);
  }

  async size(queue: string): Promise<number> {
    assertQueue(queue);
    return this.kv.due.size(queue);
  }
}

function assertQueue(queue: string): void {
  if (!QUEUE.test(queue))
    throw new StoreError('invalid', 'A due queue is named with lower-case letters, digits and dashes.');
}

function assertMember(member: string): void {
  if (!MEMBER.test(member)) throw new StoreError('invalid', 'A due member is letters, digits and . _ @ + - : / |');
  checkedLength(member);
}
