/**
 * An in-memory `Kv` (the layer the store's repositories are built on) that keeps what the app's own
 * code writes, so the scale bench can produce 100,000 workspaces' records with the app's encoders
 * (schemas, sealing, keys, due times) and then hand them to a bulk loader in the backend's own layout.
 * Only what seeding needs behaves like a real backend: compare-and-set writes, per-workspace key
 * listing, append-only logs, due times. Nothing here is ever read by the app itself.
 */
import type { StoredClaim, WriteOutcome } from '../../../src/store/backends/driver';
import { workspaceKeyOf } from '../../../src/store/keys';
import { decodeRaw, encodeRaw, type Kv } from '../../../src/store/keyv';
import type { BackendKind } from '../../../src/store/store-url';

/** What one batch of seeding wrote, in logical keys (the namespace is the loader's business). */
export interface CapturedBatch {
  /** Logical key → Keyv's raw text (`{"value":…}`), as the drivers store it. */
  records: Map<string, string>;
  /** Logical log key → entries, oldest first, already trimmed to the log's capacity. */
  logs: Map<string, string[]>;
  /** Queue → member → due time (ms). */
  due: Map<string, Map<string, number>>;
  /** Workspace keys (`T123`) that have anything stored. */
  workspaces: Set<string>;
}

export function emptyBatch(): CapturedBatch {
  return { records: new Map(), logs: new Map(), due: new Map(), workspaces: new Set() };
}

export class MemoryKv implements Kv {
  private batch = emptyBatch();
  /** Keys per workspace, so the snapshots' tidy-up lists one workspace without scanning the batch. */
  private keysByWorkspace = new Map<string, Set<string>>();

  constructor(
    readonly backend: BackendKind,
    readonly namespace: string,
  ) {}

  /** Hands over what was written since the last drain and starts an empty batch. */
  drain(): CapturedBatch {
    const done = this.batch;
    this.batch = emptyBatch();
    this.keysByWorkspace = new Map();
    return done;
  }

  private register(key: string): string | undefined {
    const workspace = workspaceKeyOf(key);
    if (workspace !== undefined) this.batch.workspaces.add(workspace);
    return workspace;
  }

  async get(key: string): Promise<unknown> {
    return decodeRaw(this.batch.records.get(key));
  }

  async getMany(keys: readonly string[]): Promise<unknown[]> {
    return keys.map((key) => decodeRaw(this.batch.records.get(key)));
  }

  async readRaw(key: string): Promise<string | undefined> {
    return this.batch.records.get(key);
  }

  async write(key: string, next: unknown, expected?: string | null): Promise<WriteOutcome> {
    return this.writeText(key, next === null ? null : encodeRaw(next), expected);
  }

  async writeRaw(key: string, raw: string): Promise<WriteOutcome> {
    return this.writeText(key, raw, undefined);
  }

  private writeText(key: string, next: string | null, expected: string | null | undefined): WriteOutcome {
    const current = this.batch.records.get(key);
    if (expected === null && current !== undefined) return 'conflict';
    if (typeof expected === 'string' && current !== expected) return 'conflict';
    const workspace = workspaceKeyOf(key);
    if (next === null) {
      this.batch.records.delete(key);
      if (workspace !== undefined) this.keysByWorkspace.get(workspace)?.delete(key);
      return 'written';
    }
    this.register(key);
    this.batch.records.set(key, next);
    if (workspace !== undefined) {
      const keys = this.keysByWorkspace.get(workspace) ?? new Set<string>();
      keys.add(key);
      this.keysByWorkspace.set(workspace, keys);
    }
    return 'written';
  }

  async listKeys(prefix: string): Promise<string[]> {
    const workspace = workspaceKeyOf(prefix);
    const keys = workspace === undefined ? this.batch.records.keys() : (this.keysByWorkspace.get(workspace) ?? []);
    return [...keys].filter((key) => key.startsWith(prefix));
  }

  async listWorkspaces(after: string | undefined, limit: number): Promise<string[]> {
    return [...this.batch.workspaces]
      .sort()
      .filter((name) => after === undefined || name > after)
      .slice(0, limit);
  }

  async deleteWorkspace(): Promise<number> {
    throw new Error('seeding never deletes a workspace');
  }

  async reviveWorkspace(): Promise<boolean> {
    return false;
  }

  async isDeleted(): Promise<boolean> {
    return false;
  }

  /** Seeding takes no claims (they are transient); a claim here is always granted and forgotten. */
  readonly claims = {
    tryClaim: async (_key: string, _claim: StoredClaim) => true,
    release: async () => true,
    read: async () => undefined,
  };

  readonly log = {
    append: async (key: string, entry: string, capacity: number): Promise<'written' | 'gone'> => {
      this.register(key);
      const entries = this.batch.logs.get(key) ?? [];
      entries.push(entry);
      if (entries.length > capacity) entries.splice(0, entries.length - capacity);
      this.batch.logs.set(key, entries);
      return 'written';
    },
    latest: async (key: string, count: number): Promise<string[]> =>
      (this.batch.logs.get(key) ?? []).slice(-count).reverse(),
  };

  readonly due = {
    set: async (queue: string, member: string, dueAtMs: number): Promise<'written' | 'gone'> => {
      this.register(member);
      const members = this.batch.due.get(queue) ?? new Map<string, number>();
      members.set(member, dueAtMs);
      this.batch.due.set(queue, members);
      return 'written';
    },
    remove: async (queue: string, member: string): Promise<boolean> =>
      this.batch.due.get(queue)?.delete(member) ?? false,
    take: async (): Promise<Array<{ member: string; dueAtMs: number }>> => {
      throw new Error('seeding never takes due work');
    },
    get: async (queue: string, member: string): Promise<number | undefined> => this.batch.due.get(queue)?.get(member),
    size: async (queue: string): Promise<number> => this.batch.due.get(queue)?.size ?? 0,
  };

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
