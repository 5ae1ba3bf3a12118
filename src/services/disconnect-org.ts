import { unscheduleOrgCheck } from '../alerts/check-times';
import { recordQuietly } from '../audit/trail';
import type { ConnectedOrg } from '../store';
import type { SettingsActor } from './settings-actor';

/**
 * Forgets a connected org and its stored key, shared by `/viam-usage disconnect` and the Home tab's
 * Disconnect button: the store change, the end of its hourly checks, its log line and its audit entry
 * always go together.
 */
export async function disconnectConnectedOrg(actor: SettingsActor, org: ConnectedOrg): Promise<void> {
  const left = await actor.services.store.workspaces.disconnectOrg(actor.ref, org.label);
  // The same org may stay connected under another label; its checks go on then.
  if (!left.orgs.some((other) => other.orgId === org.orgId)) {
    await unscheduleOrgCheck(actor.services.store, actor.ref, org.orgId);
  }
  actor.logger.info({ label: org.label, orgId: org.orgId }, 'org disconnected');
  await recordQuietly(
    actor.services.audit,
    actor.ref,
    { action: 'org.disconnected', actor: actor.userId, org: org.label, orgId: org.orgId },
    actor.logger,
  );
}
