import { App, isValidSlackRequest } from '@slack/bolt';
import {
  appHomeOpenedEvent,
  FORM_CONTENT_TYPE,
  nowSeconds,
  SEED,
  type SlackStandIn,
  sendBlockAction,
  sendEvent,
  sendSlashCommand,
  sendViewSubmission,
  signedPost,
  slackSignature,
  startSlackStandIn,
} from '../../../dev/slack-stand-in';
import { addPingCommand, boltOptions, startHttpApp } from './bolt-apps';

const team = { id: SEED.team.id, domain: SEED.team.domain };
const user = { id: SEED.users.grace, name: 'grace' };
const channel = { id: SEED.channels.billing, name: 'billing' };

describe('signed requests to a Bolt app over HTTP', () => {
  let standIn: SlackStandIn;
  let app: App;
  let appUrl: string;
  let signingSecret: string;
  let submittedValues: unknown;

  beforeAll(async () => {
    standIn = await startSlackStandIn();
    signingSecret = standIn.app.signingSecret;
    app = new App({ ...boltOptions(standIn), signingSecret });
    addPingCommand(app);
    app.action('open_settings', async ({ ack, body, client }) => {
      await ack();
      if (body.type !== 'block_actions') return;
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'settings',
          title: { type: 'plain_text', text: 'Settings' },
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Pick a day' } }],
        },
      });
    });
    app.view('settings', async ({ ack, view }) => {
      submittedValues = view.state.values;
      await ack({ response_action: 'errors', errors: { day: 'Pick a weekday' } });
    });
    app.event('app_home_opened', async ({ event, client }) => {
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Month to date' } }] },
      });
    });
    appUrl = await startHttpApp(app);
  });

  afterAll(async () => {
    await app.stop();
    await standIn.stop();
  });

  it('signs as Slack does, which Bolt’s own verifier accepts', () => {
    const body = 'command=%2Fping&text=';
    const timestamp = nowSeconds();
    const headers = {
      'x-slack-signature': slackSignature(signingSecret, timestamp, body),
      'x-slack-request-timestamp': timestamp,
    };
    expect(isValidSlackRequest({ signingSecret, body, headers })).toBe(true);
    expect(isValidSlackRequest({ signingSecret: 'other', body, headers })).toBe(false);
  });

  it('delivers a slash command that is acked and answered through response_url', async () => {
    const responseUrl = standIn.responseUrl();
    const answer = await sendSlashCommand({
      appUrl,
      signingSecret,
      team,
      user,
      channel,
      command: '/ping',
      text: '',
      responseUrl,
      triggerId: standIn.triggerId(),
    });
    expect(answer.status).toBe(200);
    expect(answer.ackMs).toBeLessThan(3000);
    await expect(standIn.waitForResponse(responseUrl)).resolves.toMatchObject({
      body: { text: 'pong', response_type: 'ephemeral' },
    });
  });

  it('is rejected with 401 when signed with the wrong secret or a stale timestamp', async () => {
    const responseUrl = standIn.responseUrl();
    const command = { appUrl, signingSecret, team, user, channel, command: '/ping', responseUrl };
    expect((await sendSlashCommand({ ...command, badSignature: true })).status).toBe(401);
    expect((await sendSlashCommand({ ...command, timestamp: nowSeconds() - 6 * 60 })).status).toBe(401);
    const body = new URLSearchParams({ command: '/ping', response_url: responseUrl }).toString();
    const wrongSecret = await signedPost(`${appUrl}/slack/events`, body, FORM_CONTENT_TYPE, 'not-the-secret');
    expect(wrongSecret.status).toBe(401);
    // A correctly signed one afterwards is the only one that reaches the listener.
    expect((await sendSlashCommand(command)).status).toBe(200);
    await standIn.waitForResponse(responseUrl);
    expect(standIn.responseAttempts(responseUrl)).toHaveLength(1);
  });

  it('delivers a block action whose trigger id opens a modal in the stand-in', async () => {
    const triggerId = standIn.triggerId();
    const answer = await sendBlockAction({
      appUrl,
      signingSecret,
      team,
      user,
      channel,
      triggerId,
      responseUrl: standIn.responseUrl(),
      actions: [{ action_id: 'open_settings', value: 'billing' }],
    });
    expect(answer.status).toBe(200);
    const call = await standIn.waitForCall('views.open');
    expect(call).toMatchObject({ ok: true, args: { trigger_id: triggerId, view: { callback_id: 'settings' } } });
  });

  it('delivers a view submission and returns the app’s response_action body', async () => {
    const values = { day: { value: { type: 'plain_text_input', value: 'Sunday' } } };
    const answer = await sendViewSubmission({
      appUrl,
      signingSecret,
      team,
      user,
      callbackId: 'settings',
      values,
      privateMetadata: '{"channel":"C0BILLING0"}',
    });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ response_action: 'errors', errors: { day: 'Pick a weekday' } });
    expect(submittedValues).toEqual(values);
  });

  it('delivers an Events API event that the app answers with views.publish', async () => {
    const answer = await sendEvent({
      appUrl,
      signingSecret,
      team,
      event: appHomeOpenedEvent({ user: SEED.users.mei, channel: 'D0MEIHOME0' }),
    });
    expect(answer.status).toBe(200);
    await standIn.waitForCall('views.publish');
    expect(standIn.homeView(SEED.users.mei)?.view.blocks).toHaveLength(1);
  });
});
