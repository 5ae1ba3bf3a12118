import { recordQuietly } from '../audit/trail';
import type { SettingsActor } from './settings-actor';

/**
 * Granting and taking back view access, shared by `/viam-usage access` and the Home tab's access
 * form: the store change, its log line and its audit entry always go together.
 */
export async function grantViewAccess(actor: SettingsActor, viewerId: string): Promise<void> {
  await actor.services.store.workspaces.grantViewer(actor.ref, viewerId);
  actor.logger.info({ viewer: viewerId }, 'view access granted');
  await recordQuietly(
    actor.services.audit,
    actor.ref,
    { action: 'access.granted', actor: actor.userId, subject: viewerId },
    actor.logger,
  );
}

export async function revokeViewAccess(actor: SettingsActor, viewerId: string): Promise<void> {
  await actor.services.store.workspaces.revokeViewer(actor.ref, viewerId);
  actor.logger.info({ viewer: viewerId }, 'view access removed');
  await recordQuietly(
    actor.services.audit,
    actor.ref,
    { action: 'access.revoked', actor: actor.userId, subject: viewerId },
    actor.logger,
  );
}
