import type { webApi } from '@slack/bolt';
import {
  ManualClock,
  SEED,
  type SlackStandIn,
  startSlackStandIn,
  TRIGGER_LIFETIME_MS,
} from '../../../dev/slack-stand-in';
import { clientFor, platformError, slackError } from './web-client';

const modal = (title = 'Digest settings') => ({
  type: 'modal' as const,
  callback_id: 'digest_settings',
  private_metadata: JSON.stringify({ channel: SEED.channels.billing }),
  title: { type: 'plain_text' as const, text: title },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [
    {
      type: 'input',
      block_id: 'day',
      label: { type: 'plain_text', text: 'Day' },
      element: { type: 'plain_text_input', action_id: 'value' },
    },
  ],
});

describe('Slack stand-in views and trigger ids', () => {
  let standIn: SlackStandIn;
  let clock: ManualClock;
  let client: webApi.WebClient;

  beforeEach(async () => {
    clock = new ManualClock();
    standIn = await startSlackStandIn({ clock });
    client = clientFor(standIn, SEED.botToken);
  });

  afterEach(async () => {
    await standIn.stop();
  });

  it('opens a modal with a fresh trigger id, once', async () => {
    const triggerId = standIn.triggerId();
    const opened = await client.views.open({ trigger_id: triggerId, view: modal() });
    expect(opened.view).toMatchObject({
      id: expect.stringMatching(/^V/),
      type: 'modal',
      callback_id: 'digest_settings',
      root_view_id: opened.view?.id,
      app_id: standIn.app.appId,
    });
    expect(standIn.views()).toEqual([expect.objectContaining({ id: opened.view?.id, type: 'modal' })]);
    expect(await slackError(client.views.open({ trigger_id: triggerId, view: modal() }))).toBe('exchanged_trigger_id');
  });

  it('rejects unknown trigger ids and ones older than 3 seconds', async () => {
    expect(await slackError(client.views.open({ trigger_id: '123.456.abc', view: modal() }))).toBe(
      'invalid_trigger_id',
    );
    const stale = standIn.triggerId();
    clock.advance(TRIGGER_LIFETIME_MS);
    expect(await slackError(client.views.open({ trigger_id: stale, view: modal() }))).toBe('expired_trigger_id');
    const fresh = standIn.triggerId();
    clock.advance(TRIGGER_LIFETIME_MS - 1);
    await expect(client.views.open({ trigger_id: fresh, view: modal() })).resolves.toMatchObject({ ok: true });
  });

  it('rejects a modal that breaks view limits with invalid_arguments', async () => {
    const error = await platformError(
      client.views.open({
        trigger_id: standIn.triggerId(),
        view: modal('A title far longer than twenty-four characters'),
      }),
    );
    expect(error.data.error).toBe('invalid_arguments');
    expect(error.data.response_metadata?.messages?.[0]).toContain('/view/title/text');
  });

  it('updates by view id with hash checks and pushes onto the stack of the trigger’s view', async () => {
    const opened = await client.views.open({ trigger_id: standIn.triggerId(), view: modal() });
    const viewId = opened.view?.id ?? '';
    const updated = await client.views.update({ view_id: viewId, hash: opened.view?.hash, view: modal('Saved') });
    expect(updated.view?.hash).not.toBe(opened.view?.hash);
    expect(await slackError(client.views.update({ view_id: viewId, hash: opened.view?.hash, view: modal() }))).toBe(
      'hash_conflict',
    );
    expect(await slackError(client.views.update({ view_id: 'V0NOSUCHVW', view: modal() }))).toBe('not_found');

    const pushed = await client.views.push({ trigger_id: standIn.triggerId({ viewId }), view: modal('Step 2') });
    expect(pushed.view).toMatchObject({ previous_view_id: viewId, root_view_id: viewId });
    const third = await client.views.push({
      trigger_id: standIn.triggerId({ viewId: pushed.view?.id }),
      view: modal(),
    });
    expect(
      await slackError(client.views.push({ trigger_id: standIn.triggerId({ viewId: third.view?.id }), view: modal() })),
    ).toBe('push_limit_reached');
  });

  it('publishes one Home tab per user and keeps its id across publishes', async () => {
    const home = { type: 'home' as const, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Usage*' } }] };
    const first = await client.views.publish({ user_id: SEED.users.grace, view: home });
    const second = await client.views.publish({ user_id: SEED.users.grace, view: { ...home, blocks: [] } });
    expect(second.view?.id).toBe(first.view?.id);
    expect(standIn.homeView(SEED.users.grace)).toMatchObject({ updates: 1, view: { blocks: [] } });
    expect(await slackError(client.views.publish({ user_id: 'U0NOBODY00', view: home }))).toBe('user_not_found');
    expect(await slackError(client.views.publish({ user_id: SEED.users.grace, view: modal() as never }))).toBe(
      'invalid_arguments',
    );
  });
});
