import { noticeModal } from '../../src/blocks/home-notice-modal';
import { errorNotice } from '../../src/blocks/notices';
import { blockText, expectValidView } from './helpers';

describe('noticeModal', () => {
  it('shows a message as a modal with only a Close button', () => {
    const view = noticeModal(errorNotice('Viam could not be reached.', 'abcd1234'));
    expectValidView(view);
    expect(view.submit).toBeUndefined();
    expect(view.close?.text).toBe('Close');
    expect(view.title.text).toBe('Viam billing');
    expect(blockText(view)).toContain(':x: Viam could not be reached.');
    expect(blockText(view)).toContain('Request ID `abcd1234`');
  });

  it('keeps the title within Slack’s 24 characters', () => {
    expect(noticeModal(errorNotice('x'), 'A title far longer than Slack allows').title.text.length).toBeLessThanOrEqual(
      24,
    );
  });
});
