import type { z } from 'zod';
import type { Logger } from '../logger';
import { StoreError } from './errors';
import { type WorkspaceRef, workspaceScopedKey } from './keys';
import { assertRecordType } from './records';

/**
 * Append-only entries under a workspace (an audit trail): each append is one engine operation that
 * never reads or rewrites earlier entries (a Redis list push, a row insert in SQL), so entries written
 * at the same moment by any number of replicas are all kept. Removed with the workspace.
 */
export interface LogType<T> {
  /** Names the key, `ws:<workspaceKey>:<kind>:<id>`; lower-case letters, digits and dashes. */
  kind: string;
  schema: z.ZodType<T>;
  /** Entries kept per log; older ones are dropped as new ones arrive. */
  capacity: number;
}

export interface LogStorage {
  append(key: string, entry: string, capacity: number): Promise<'written' | 'gone'>;
  latest(key: string, count: number): Promise<string[]>;
}

export class LogCollection<T> {
  constructor(
    private readonly storage: LogStorage,
    private readonly type: LogType<T>,
    private readonly logger: Logger,
  ) {
    assertRecordType({ kind: type.kind, version: 1, schema: type.schema });
    if (!Number.isInteger(type.capacity) || type.capacity < 1) {
      throw new StoreError('invalid', 'A log keeps a positive whole number of entries.');
    }
  }

  key(ref: WorkspaceRef, id: string): string {
    return workspaceScopedKey(ref, this.type.kind, id);
  }

  async append(ref: WorkspaceRef, id: string, entry: T): Promise<void> {
    const parsed = this.type.schema.safeParse(entry);
    if (!parsed.success) throw new StoreError('invalid', `That ${this.type.kind} entry is not valid.`);
    const outcome = await this.storage.append(this.key(ref, id), JSON.stringify(parsed.data), this.type.capacity);
    if (outcome === 'gone') throw new StoreError('gone');
  }

  /** The newest `count` readable entries, newest first; an unreadable one is logged and left out. */
  async latest(ref: WorkspaceRef, id: string, count: number): Promise<T[]> {
    const key = this.key(ref, id);
    const entries: T[] = [];
    for (const raw of await this.storage.latest(key, count)) {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        value = undefined;
      }
      const parsed = this.type.schema.safeParse(value);
      if (parsed.success) entries.push(parsed.data);
      else this.logger.error({ storeKey: key, reason: 'an entry is not valid' }, 'stored log entry is unreadable');
    }
    return entries;
  }
}
