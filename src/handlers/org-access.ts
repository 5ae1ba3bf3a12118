import type { ViamApiKey } from '../billing/model';
import type { RenderContext } from '../blocks/message';
import { noAccessNotice, noManageNotice, notConnectedNotice, unknownOrgNotice } from '../blocks/notices';
import { canManage, canView } from '../services/access';
import type { SlackUserFacts } from '../services/slack-users';
import { type ConnectedOrg, defaultOrg, findOrg, type Workspace } from '../store';
import type { SlackRequest } from './request';

/** An org the caller may read, ready for a billing call and for rendering. */
export interface OpenedOrg {
  workspace: Workspace;
  org: ConnectedOrg;
  key: ViamApiKey;
  render: RenderContext;
}

/**
 * The common first steps of every read: is anything connected, may this user see it, which org did
 * they mean. Each refusal is answered here, and undefined tells the caller there is nothing more to do.
 */
export async function openOrgForViewing(
  request: SlackRequest,
  label: string | undefined,
): Promise<OpenedOrg | undefined> {
  const [{ workspace, revealApiKey }, facts] = await Promise.all([
    request.services.store.workspaces.getWithKeys(request.ref),
    callerFacts(request),
  ]);
  if (workspace.orgs.length === 0) {
    await request.reply(notConnectedNotice());
    return undefined;
  }
  const access = canView(workspace, request.userId, facts.isAdmin);
  if (!access.allowed) {
    request.markRefused();
    await request.reply(noAccessNotice(peopleToAsk(request, access.askUserIds)));
    return undefined;
  }
  const org = await pickOrg(request, workspace, label);
  if (!org) return undefined;
  const key = revealApiKey(org.label);
  return {
    workspace,
    org,
    key,
    render: {
      orgLabel: org.label,
      timeZone: facts.timeZone ?? workspace.preferences.timeZone ?? 'UTC',
      now: request.services.now(),
    },
  };
}

/**
 * The org `label` names, or the default org without one; undefined (and answered) when nothing is
 * connected or no org has that label.
 */
export async function pickOrg(
  request: SlackRequest,
  workspace: Workspace,
  label: string | undefined,
): Promise<ConnectedOrg | undefined> {
  if (workspace.orgs.length === 0) {
    await request.reply(notConnectedNotice());
    return undefined;
  }
  const org = label === undefined ? defaultOrg(workspace) : findOrg(workspace, label);
  if (!org) {
    await request.reply(
      unknownOrgNotice(
        label ?? '',
        workspace.orgs.map((known) => known.label),
      ),
    );
  }
  return org;
}

/** For connect, disconnect, access, digests and reset; undefined when refused (and answered). */
export async function authorizeManagement(
  request: SlackRequest,
): Promise<{ workspace: Workspace; facts: SlackUserFacts } | undefined> {
  const [workspace, facts] = await Promise.all([
    request.services.store.workspaces.get(request.ref),
    callerFacts(request),
  ]);
  const access = canManage(workspace, request.userId, facts.isAdmin);
  if (access.allowed) return { workspace, facts };
  request.markRefused();
  await request.reply(noManageNotice(peopleToAsk(request, access.askUserIds)));
  return undefined;
}

/** Connectors worth naming: not the app itself (it "connected" the org from the environment). */
export function peopleToAsk(request: SlackRequest, userIds: readonly string[]): string[] {
  return userIds.filter((id) => id !== request.services.botUserId);
}

export function callerFacts(request: SlackRequest): Promise<SlackUserFacts> {
  return request.services.slackUsers.lookup(request.client, request.ref.teamId, request.userId);
}
