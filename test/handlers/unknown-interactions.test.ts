/**
 * Buttons and forms no listener knows, through the running app over signed HTTP: each is acknowledged
 * at once and the user reads one sentence saying what to do, on the response URL, in a modal on the
 * press's trigger, or in the form itself.
 */
import { FORM_CONTENT_TYPE, type SignedResponse, signedPost } from '../../dev/slack-stand-in';
import { ACTION_SHOW_USAGE } from '../../src/blocks/ids';
import { STALE_BUTTON, STALE_FORM } from '../../src/handlers/unknown-interactions';
import { ackJson, blocksText, CHANNELS, LogCapture, SEED, USERS, useLocalStack } from '../support/stack';

const log = new LogCapture();
const stackOf = useLocalStack({ logDestination: log.destination });

function postInteraction(payload: Record<string, unknown>): Promise<SignedResponse> {
  const stack = stackOf();
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return signedPost(`${stack.appUrl}/slack/events`, body, FORM_CONTENT_TYPE, stack.slack.app.signingSecret);
}

const identity = {
  team: { id: SEED.team.id, domain: SEED.team.domain },
  user: { id: USERS.ada, team_id: SEED.team.id },
  api_app_id: 'A0VIAMBILL',
  token: 'verification-token-unused',
};

/** A press of a button in a message in #general, answered on a fresh response URL. */
function messageButton(actionId: string, value: string) {
  const stack = stackOf();
  const responseUrl = stack.slack.responseUrl();
  const payload = {
    ...identity,
    type: 'block_actions',
    channel: { id: CHANNELS.general },
    container: { type: 'message', channel_id: CHANNELS.general, message_ts: '1.1' },
    response_url: responseUrl,
    trigger_id: stack.slack.triggerId(),
    actions: [{ type: 'button', action_id: actionId, block_id: 'b', value, action_ts: '1.2' }],
  };
  return { payload, responseUrl };
}

describe('interactions no listener knows', () => {
  it('acks a button from an older message and answers on its response URL', async () => {
    const stack = stackOf();
    const { payload, responseUrl } = messageButton('viam_usage.retired_button', 'x');
    const ack = await postInteraction(payload);
    expect(ack.status).toBe(200);
    expect(ack.ackMs).toBeLessThan(3_000);
    const answer = await stack.slack.waitForResponse(responseUrl);
    expect(JSON.stringify(answer.body)).toContain(STALE_BUTTON);
    expect((answer.body as { response_type?: string }).response_type).toBe('ephemeral');
  });

  it('acks an unknown Home button and shows the sentence in a modal on its trigger', async () => {
    const stack = stackOf();
    const ack = await postInteraction({
      ...identity,
      type: 'block_actions',
      container: { type: 'view', view_id: 'V1' },
      view: { id: 'V1', type: 'home' },
      trigger_id: stack.slack.triggerId(),
      actions: [{ type: 'button', action_id: 'viam_usage.home.retired', block_id: 'b', action_ts: '1.2' }],
    });
    expect(ack.status).toBe(200);
    await waitFor(() =>
      stack.slack.views().some((view) => blocksText(view.view as { blocks?: unknown[] }).includes(STALE_BUTTON)),
    );
  });

  it('answers an unknown form in the form itself', async () => {
    const ack = await postInteraction({
      ...identity,
      type: 'view_submission',
      trigger_id: stackOf().slack.triggerId(),
      view: {
        id: 'V2',
        type: 'modal',
        callback_id: 'viam_usage.retired_form',
        private_metadata: '',
        state: { values: {} },
      },
    });
    expect(ack.status).toBe(200);
    const answer = ackJson(ack.body) as { response_action: string; view: { blocks: unknown[] } };
    expect(answer.response_action).toBe('update');
    expect(blocksText(answer.view)).toContain(STALE_FORM);
  });

  it('leaves known buttons to their listeners', async () => {
    const stack = stackOf();
    const { payload, responseUrl } = messageButton(ACTION_SHOW_USAGE, 'not-ours');
    const ack = await postInteraction(payload);
    expect(ack.status).toBe(200);
    const answer = await stack.slack.waitForResponse(responseUrl);
    expect(JSON.stringify(answer.body)).not.toContain(STALE_BUTTON);
    const unknownIds = log.find('acknowledged an unknown action').map((entry) => entry.actionId);
    expect(unknownIds).not.toContain(ACTION_SHOW_USAGE);
  });

  it('answers 400, not 500, to a signed payload Bolt cannot read, and keeps serving', async () => {
    const stack = stackOf();
    const ack = await postInteraction({
      ...identity,
      type: 'block_actions',
      channel: null,
      actions: [{ type: 'button', action_id: ACTION_SHOW_USAGE, block_id: 'b', action_ts: '1.2' }],
    });
    expect(ack.status).toBe(400);
    expect(log.entries().filter((entry) => entry.level === 50)).toEqual([]);
    expect((await stack.command('help')).answer?.body.text).toMatch(/^How to use/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
