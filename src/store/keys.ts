import { StoreError } from './errors';

/**
 * The key layout, in one place. Everything that belongs to a workspace lives under
 * `ws:<workspaceKey>:`, which is what lets deleteWorkspace remove it all with one prefix on every
 * backend, including records other modules add later:
 *
 *   ws:<wk>:workspace                  the workspace record (orgs, viewers, preferences)
 *   ws:<wk>:<kind>:<id>                records of other modules (schedules, snapshots…)
 *   ws:<wk>:corrupt:<stamp>:<suffix>   an unreadable record moved aside by a reset
 *
 * `<wk>` is the team ID, or `<enterpriseId>.<teamId>` on Enterprise Grid.
 */

/** A Slack workspace; on Enterprise Grid the same team ID is qualified by its enterprise. */
export interface WorkspaceRef {
  teamId: string;
  enterpriseId?: string;
}

export const WORKSPACE_SPACE = 'ws:';

/** Slack team and enterprise IDs are letters and digits; anything else would break the prefix scheme. */
const SLACK_ID = /^[A-Za-z0-9]{1,32}$/;
const KEY_PART = /^[A-Za-z0-9._@+-][A-Za-z0-9._@+:-]*$/;
/** Postgres' Keyv table holds keys of up to 255 characters, namespace included. */
export const MAX_KEY_LENGTH = 180;

export function workspaceKey(ref: WorkspaceRef): string {
  if (!SLACK_ID.test(ref.teamId) || (ref.enterpriseId !== undefined && !SLACK_ID.test(ref.enterpriseId))) {
    throw new StoreError('invalid', 'That is not a Slack workspace ID.');
  }
  return ref.enterpriseId === undefined ? ref.teamId : `${ref.enterpriseId}.${ref.teamId}`;
}

export function parseWorkspaceKey(key: string): WorkspaceRef | undefined {
  const parts = key.split('.');
  if (parts.length === 1 && SLACK_ID.test(key)) return { teamId: key };
  const [enterpriseId, teamId] = parts;
  if (parts.length === 2 && enterpriseId && teamId && SLACK_ID.test(enterpriseId) && SLACK_ID.test(teamId)) {
    return { teamId, enterpriseId };
  }
  return undefined;
}

/** The prefix of every key of a workspace, ending in `:` so `T1` never matches `T12`. */
export function workspacePrefix(ref: WorkspaceRef): string {
  return `${WORKSPACE_SPACE}${workspaceKey(ref)}:`;
}

/**
 * A key inside a workspace's space. Other modules use it for claim keys that should disappear with
 * the workspace, e.g. `workspaceScopedKey(ref, 'digest', scheduleId, '2026-05-01')`.
 */
export function workspaceScopedKey(ref: WorkspaceRef, ...parts: string[]): string {
  if (parts.length === 0) throw new StoreError('invalid', 'A workspace key needs at least one part.');
  for (const part of parts) assertKeyPart(part);
  return checkedLength(`${workspacePrefix(ref)}${parts.join(':')}`);
}

/** The workspace key found at the start of a logical key, if it is a workspace key at all. */
export function workspaceKeyOf(logicalKey: string): string | undefined {
  if (!logicalKey.startsWith(WORKSPACE_SPACE)) return undefined;
  const end = logicalKey.indexOf(':', WORKSPACE_SPACE.length);
  return end < 0 ? undefined : logicalKey.slice(WORKSPACE_SPACE.length, end);
}

export function assertKeyPart(part: string): void {
  if (!KEY_PART.test(part) || part.length > 100) {
    throw new StoreError('invalid', 'A store key part must be letters, digits and . _ @ + - : (at most 100).');
  }
}

export function checkedLength(key: string): string {
  if (key.length > MAX_KEY_LENGTH) throw new StoreError('invalid', 'That store key is too long.');
  return key;
}

/** A sortable, colon-free timestamp for key names, e.g. 20260501T090000123Z. */
export function keyTimestamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}
