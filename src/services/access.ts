import type { Workspace } from '../store';

/**
 * Who may do what with a workspace's Viam billing. Pure: the caller supplies the facts (is the user a
 * workspace admin, from users.info) and the workspace record.
 *
 * - Viewing billing: workspace admins and owners, anyone who connected an org, and users granted access.
 * - Managing (connect, disconnect, access, digests, reset): workspace admins and owners, and anyone
 *   who connected an org in this workspace.
 */
export type AccessDecision = { allowed: true } | { allowed: false; askUserIds: string[] };

export function canView(workspace: Workspace, userId: string, isAdmin: boolean): AccessDecision {
  if (isAdmin || isConnector(workspace, userId) || workspace.viewers.includes(userId)) return { allowed: true };
  return { allowed: false, askUserIds: connectors(workspace) };
}

export function canManage(workspace: Workspace, userId: string, isAdmin: boolean): AccessDecision {
  if (isAdmin || isConnector(workspace, userId)) return { allowed: true };
  return { allowed: false, askUserIds: connectors(workspace) };
}

function isConnector(workspace: Workspace, userId: string): boolean {
  return workspace.orgs.some((org) => org.connectedBy === userId);
}

/** People to ask for access: whoever connected the orgs (admins are named generically by the notice). */
function connectors(workspace: Workspace): string[] {
  return [...new Set(workspace.orgs.map((org) => org.connectedBy))];
}
