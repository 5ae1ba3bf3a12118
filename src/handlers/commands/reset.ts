import { recordQuietly } from '../../audit/trail';
import { infoNotice, noManageNotice } from '../../blocks/notices';
import { isStoreError } from '../../store';
import { callerFacts } from '../org-access';
import type { SlackRequest } from '../request';

/**
 * `/viam-usage reset`: the way out when this workspace's saved settings cannot be read. It refuses to
 * touch readable settings (disconnect is for that), and keeps the unreadable copy aside as a backup.
 * Only workspace admins: who connected what cannot be known from an unreadable record.
 */
export async function resetWorkspace(request: SlackRequest): Promise<void> {
  const facts = await callerFacts(request);
  if (!facts.isAdmin) {
    request.markRefused();
    await request.reply(noManageNotice([]));
    return;
  }
  try {
    await request.services.store.workspaces.get(request.ref);
    await request.reply(
      infoNotice(
        'This workspace’s settings read fine, so there is nothing to reset. Use `/viam-usage disconnect <label>` to remove an org.',
      ),
    );
    return;
  } catch (error) {
    if (!isStoreError(error) || error.kind !== 'corrupt') throw error;
  }
  const { backupKey } = await request.services.store.workspaces.resetWorkspace(request.ref);
  request.logger.warn({ backupKey }, 'unreadable workspace settings reset by an admin');
  await recordQuietly(
    request.services.audit,
    request.ref,
    { action: 'workspace.reset', actor: request.userId },
    request.logger,
  );
  await request.reply(
    infoNotice(
      'The unreadable settings were set aside (kept as a backup for your operator) and this workspace starts fresh. Reconnect with `/viam-usage connect`.',
    ),
  );
}
