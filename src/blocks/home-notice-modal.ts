/**
 * An answer shown as a small modal. A press in the Home tab has no response URL and no channel, so a
 * refusal or a failure there is shown this way, on the press's trigger.
 */
import { SLACK_LIMITS, trimText } from './limits';
import type { ModalView, SlackMessage } from './message';

export function noticeModal(message: SlackMessage, title = 'Viam billing'): ModalView {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: trimText(title, SLACK_LIMITS.modalTitle, 'plain') },
    close: { type: 'plain_text', text: 'Close' },
    blocks: message.blocks.slice(0, SLACK_LIMITS.viewBlocks),
  };
}
