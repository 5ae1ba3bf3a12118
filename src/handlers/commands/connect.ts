import { connectModal } from '../../blocks/connect-modal';
import { authorizeManagement } from '../org-access';
import type { SlackRequest } from '../request';

/** What the connect modal carries to its submission handler. */
export interface ConnectModalContext {
  channelId?: string;
}

/** `/viam-usage connect`: opens the modal; the key is checked and stored when it is submitted. */
export async function openConnectModal(request: SlackRequest): Promise<void> {
  const allowed = await authorizeManagement(request);
  if (!allowed) return;
  if (!request.triggerId) throw new Error('connect needs a trigger ID to open its modal');
  const metadata: ConnectModalContext = { channelId: request.channelId };
  await request.client.views.open({
    trigger_id: request.triggerId,
    view: connectModal({ privateMetadata: JSON.stringify(metadata) }),
  });
}
