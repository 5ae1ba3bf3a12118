/**
 * Due members that name one thing of one workspace, `ws:<workspace>:<kind>:<id>`. Being workspace
 * keys, they are deleted with the workspace by the store, and refused once it is gone.
 */
import { type Store, type WorkspaceRef, workspaceScopedKey } from '../store';
import { parseWorkspaceKey } from '../store/keys';

export function dueMember(ref: WorkspaceRef, kind: string, id: string): string {
  return workspaceScopedKey(ref, kind, id);
}

/** The workspace and id of a member of `kind`, or undefined when the member is not one. */
export function parseDueMember(member: string, kind: string): { ref: WorkspaceRef; id: string } | undefined {
  const match = /^ws:([^:]+):([^:]+):(.+)$/.exec(member);
  if (!match || match[2] !== kind) return undefined;
  const ref = parseWorkspaceKey(match[1] as string);
  const id = match[3] as string;
  if (!ref) return undefined;
  // Round-tripping refuses anything dueMember would not have built.
  try {
    return dueMember(ref, kind, id) === member ? { ref, id } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Schedules `member` at `dueAt` unless it has a due time already (which may be a lease, or a time a
 * tick just wrote back). True when it was set. Not atomic: two callers at once both set, which is
 * harmless because each sets a time the member may have.
 */
export async function scheduleIfAbsent(store: Store, queue: string, member: string, dueAt: Date): Promise<boolean> {
  if ((await store.due.get(queue, member)) !== undefined) return false;
  await store.due.set(queue, member, dueAt);
  return true;
}
