import type { Logger } from '../../logger';
import type { AppServices } from '../../services/app-services';
import { installationRef } from '../../slack/installation-store';
import { isStoreError, type WorkspaceRef } from '../../store';

/** Where Slack says the app lost its access: Bolt's context for app_uninstalled and tokens_revoked. */
export interface CleanupScope {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall: boolean;
}

/** What was deleted, in counts only. `null` where a record could not be read to count it. */
export interface CleanupCounts {
  workspaces: number;
  installations: number;
  orgs: number | null;
  viewers: number | null;
  digestSchedules: number | null;
  keys: number;
}

/**
 * The common body of the app_uninstalled and tokens_revoked listeners: forget the workspace named
 * by Bolt's context, logging a failure instead of throwing it (Slack does not care about our errors).
 */
export async function forgetWorkspaceOf(
  services: AppServices,
  context: CleanupScope & { isEnterpriseInstall?: boolean },
  logger: Logger,
): Promise<void> {
  try {
    await forgetWorkspace(
      services,
      {
        teamId: context.teamId,
        enterpriseId: context.enterpriseId,
        isEnterpriseInstall: context.isEnterpriseInstall ?? false,
      },
      logger,
    );
  } catch (error) {
    logger.error({ err: error }, 'could not delete what was held for the workspace');
  }
}

/**
 * Deletes everything held for the workspace the app was removed from: its installation, connected
 * orgs and their keys, access list, preferences, digest schedules, runs, snapshots and audit trail
 * (all of it lives under the workspace's key prefix). For an org-wide install that is every
 * workspace of the enterprise. Logs the counts, never values. Safe to repeat: Slack sends both
 * events, in either order, and may redeliver them.
 */
export async function forgetWorkspace(
  services: AppServices,
  scope: CleanupScope,
  logger: Logger,
): Promise<CleanupCounts> {
  const counts: CleanupCounts = { workspaces: 0, installations: 0, orgs: 0, viewers: 0, digestSchedules: 0, keys: 0 };
  const installRef = installationRef(scope);
  // The installation first: it also lives under the workspace's prefix, but deleting it through the
  // installation store counts it and drops this process's cached client for it.
  if (services.installations && (await services.installations.delete(installRef))) counts.installations += 1;
  const workspaces = scope.isEnterpriseInstall ? await enterpriseWorkspaces(services, installRef.teamId) : [installRef];
  for (const ref of workspaces) {
    await countContents(services, ref, counts);
    counts.keys += (await services.store.workspaces.deleteWorkspace(ref)).deletedKeys;
    counts.workspaces += 1;
  }
  // An org-wide install's own space holds nothing else today; whatever is there goes too.
  if (scope.isEnterpriseInstall)
    counts.keys += (await services.store.workspaces.deleteWorkspace(installRef)).deletedKeys;
  logger.info(
    { team: scope.teamId, enterprise: scope.enterpriseId, ...counts },
    'deleted everything held for the workspace',
  );
  return counts;
}

async function enterpriseWorkspaces(services: AppServices, enterpriseId: string): Promise<WorkspaceRef[]> {
  const refs: WorkspaceRef[] = [];
  for await (const ref of services.store.workspaces.listWorkspaces()) {
    if (ref.enterpriseId === enterpriseId) refs.push(ref);
  }
  return refs;
}

/** Counts for the log; an unreadable record is deleted all the same, it just cannot be counted. */
async function countContents(services: AppServices, ref: WorkspaceRef, counts: CleanupCounts): Promise<void> {
  try {
    const workspace = await services.store.workspaces.get(ref);
    if (counts.orgs !== null) counts.orgs += workspace.orgs.length;
    if (counts.viewers !== null) counts.viewers += workspace.viewers.length;
  } catch (error) {
    if (!isStoreError(error) || error.kind !== 'corrupt') throw error;
    counts.orgs = null;
    counts.viewers = null;
  }
  try {
    const schedules = await services.digests.schedules.listFor(ref);
    if (counts.digestSchedules !== null) counts.digestSchedules += schedules.length;
  } catch (error) {
    if (!isStoreError(error) || error.kind !== 'corrupt') throw error;
    counts.digestSchedules = null;
  }
}
