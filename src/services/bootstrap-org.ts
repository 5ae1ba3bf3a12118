import type { AppConfig } from '../config';
import type { BotIdentity } from '../slack/bot-identity';
import { isStoreError, type WorkspaceRef } from '../store';
import type { AppServices } from './app-services';

/** VIAM_ORG_ID/VIAM_API_KEY_ID/VIAM_API_KEY: the bot's workspace starts connected to that org, labelled `default`. */
export async function connectBootstrapOrg(
  config: AppConfig,
  identity: BotIdentity,
  services: AppServices,
): Promise<void> {
  const org = config.viam.bootstrapOrg;
  if (!org) return;
  const ref = identity.enterpriseId
    ? { teamId: identity.teamId, enterpriseId: identity.enterpriseId }
    : { teamId: identity.teamId };
  const workspace = await services.store.workspaces.get(ref);
  const existing = workspace.orgs.find((connected) => connected.orgId === org.orgId);
  const defaultTaken = workspace.orgs.some((connected) => connected.label.toLowerCase() === 'default');
  const label = existing?.label ?? (defaultTaken ? `org-${org.orgId.slice(0, 8)}` : 'default');
  // A stored key sealed with another ENCRYPTION_KEY belongs to the replicas that run with that key:
  // re-sealing it with ours would lock them out of it, so it stays as it is.
  if (existing && !(await storedKeyOpens(services, ref, existing.label))) {
    services.logger.error(
      { orgId: org.orgId, label },
      'the org from VIAM_ORG_ID was left as stored, because its saved key was sealed with a different ENCRYPTION_KEY: give this replica the ENCRYPTION_KEY the other replicas use',
    );
    return;
  }
  // The environment is the source of truth for this org: a rotated key replaces the stored one.
  await services.store.workspaces.connectOrg(ref, {
    label,
    orgId: org.orgId,
    apiKey: { id: org.apiKeyId, key: org.apiKey },
    connectedBy: identity.botUserId,
  });
  services.logger.info({ orgId: org.orgId, label }, 'org from the environment connected');
}

/**
 * False when the running key is not the one the org's saved key was sealed with. A damaged saved key
 * (sealed with our key, but unreadable) counts as ours: replacing it from the environment repairs it.
 */
async function storedKeyOpens(services: AppServices, ref: WorkspaceRef, label: string): Promise<boolean> {
  try {
    await services.store.workspaces.revealApiKey(ref, label);
    return true;
  } catch (error) {
    if (isStoreError(error) && error.kind === 'key_mismatch') return false;
    if (isStoreError(error) && error.kind === 'corrupt') return true;
    throw error;
  }
}
