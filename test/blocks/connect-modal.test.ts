import { connectErrors, connectModal, readConnectForm } from '../../src/blocks/connect-modal';
import { CONNECT_ACTIONS, CONNECT_BLOCKS, VIEW_CONNECT_ORG } from '../../src/blocks/ids';
import { blockText, expectValidView } from './helpers';

const metadata = JSON.stringify({ channelId: 'C0123', responseUrl: 'https://hooks.slack.com/x' });

type Input = { block_id: string; optional?: boolean; hint?: { text: string }; element: Record<string, unknown> };

function inputs(view: ReturnType<typeof connectModal>): Input[] {
  return (view.blocks as unknown as Array<{ type: string }>).filter(
    (block) => block.type === 'input',
  ) as unknown as Input[];
}

describe('connectModal', () => {
  it('asks for the org ID, key ID, key and an optional label', () => {
    const view = connectModal({ privateMetadata: metadata });
    expectValidView(view);
    expect(view).toMatchSnapshot();
    expect(view.callback_id).toBe(VIEW_CONNECT_ORG);
    expect(view.private_metadata).toBe(metadata);
    expect(inputs(view).map((input) => [input.block_id, input.element.action_id, input.optional])).toEqual([
      [CONNECT_BLOCKS.orgId, CONNECT_ACTIONS.orgId, false],
      [CONNECT_BLOCKS.apiKeyId, CONNECT_ACTIONS.apiKeyId, false],
      [CONNECT_BLOCKS.apiKey, CONNECT_ACTIONS.apiKey, false],
      [CONNECT_BLOCKS.label, CONNECT_ACTIONS.label, true],
    ]);
  });

  it('says the key is stored encrypted and never shown again', () => {
    const key = inputs(connectModal({ privateMetadata: '{}' })).find(
      (input) => input.block_id === CONNECT_BLOCKS.apiKey,
    );
    expect(key?.element.type).toBe('plain_text_input');
    expect(key?.hint?.text).toContain('Stored encrypted and never shown again');
  });

  it('shows how to make an org-owner key with the Viam CLI', () => {
    const text = blockText(connectModal({ privateMetadata: '{}' }));
    expect(text).toContain('`viam organizations api-key create --org-id &lt;org-id&gt;`');
    expect(text).toContain('*Organization owner*');
  });

  it('fills in earlier values but never the key', () => {
    const view = connectModal({
      privateMetadata: '{}',
      initial: { orgId: 'org-1', apiKeyId: 'key-1', label: 'acme' },
    });
    const initial = Object.fromEntries(inputs(view).map((input) => [input.block_id, input.element.initial_value]));
    expect(initial).toEqual({
      [CONNECT_BLOCKS.orgId]: 'org-1',
      [CONNECT_BLOCKS.apiKeyId]: 'key-1',
      [CONNECT_BLOCKS.apiKey]: undefined,
      [CONNECT_BLOCKS.label]: 'acme',
    });
  });

  it('refuses metadata Slack would reject, without quoting it', () => {
    const secretish = `{"x":"${'s'.repeat(3000)}"}`;
    expect(() => connectModal({ privateMetadata: secretish })).toThrow(RangeError);
    try {
      connectModal({ privateMetadata: secretish });
    } catch (error) {
      expect((error as Error).message).not.toContain('sss');
    }
  });
});

describe('connectErrors', () => {
  it('keys each problem by its input’s block ID and drops empty ones', () => {
    expect(connectErrors({ orgId: 'Not an org ID.', apiKey: 'Viam did not accept this key.', label: '  ' })).toEqual({
      [CONNECT_BLOCKS.orgId]: 'Not an org ID.',
      [CONNECT_BLOCKS.apiKey]: 'Viam did not accept this key.',
    });
    expect(connectErrors({})).toEqual({});
  });
});

describe('readConnectForm', () => {
  it('reads trimmed values from a submission', () => {
    const values = {
      [CONNECT_BLOCKS.orgId]: { [CONNECT_ACTIONS.orgId]: { type: 'plain_text_input', value: ' org-1 ' } },
      [CONNECT_BLOCKS.apiKeyId]: { [CONNECT_ACTIONS.apiKeyId]: { type: 'plain_text_input', value: 'key-1' } },
      [CONNECT_BLOCKS.apiKey]: { [CONNECT_ACTIONS.apiKey]: { type: 'plain_text_input', value: 'secret\n' } },
      [CONNECT_BLOCKS.label]: { [CONNECT_ACTIONS.label]: { type: 'plain_text_input', value: null } },
    };
    expect(readConnectForm(values)).toEqual({ orgId: 'org-1', apiKeyId: 'key-1', apiKey: 'secret' });
  });

  it('reads missing inputs as empty and keeps a label', () => {
    const values = { [CONNECT_BLOCKS.label]: { [CONNECT_ACTIONS.label]: { value: 'acme' } } };
    expect(readConnectForm(values)).toEqual({ orgId: '', apiKeyId: '', apiKey: '', label: 'acme' });
  });
});
