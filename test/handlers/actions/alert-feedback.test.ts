/**
 * Expected / Investigating / Unexpected on an alert, end to end: the alert is posted to the Slack
 * stand-in with the bot token, the buttons are pressed through signed block_actions requests, and the
 * app updates the message in place, stores the answer (muting the line on Expected) and audits it.
 */
import { webApi } from '@slack/bolt';
import { DEFAULT_APP, sendBlockAction } from '../../../dev/slack-stand-in';
import type { Anomaly } from '../../../src/anomalies/detect';
import { feedbackActionId } from '../../../src/blocks/alert-feedback';
import { renderAnomalyAlert } from '../../../src/blocks/anomaly-alert';
import { AlertFeedback, FEEDBACK_RECORD } from '../../../src/feedback/choices';
import { CHANNELS, SEED, USERS, useLocalStack } from '../../support/stack';

const ref = { teamId: SEED.team.id };
const PERIOD = '2026-11-01T00:00:00.000Z';
const ALERT = 'anomaly:2026-11-26:line:data_egress';

const stackOf = useLocalStack(
  {},
  {
    async reset(stack) {
      const orgId = stack.emulator.orgs[0]?.orgId ?? '';
      await stack.app.services.store.records(FEEDBACK_RECORD).delete(ref, `${orgId}:2026-11-01`);
    },
  },
);

const egress: Anomaly = {
  key: 'line:data_egress',
  kind: 'line',
  label: 'Data egress',
  category: 'data_transfer',
  reason: 'new',
  ratePerDay: 45,
  baselinePerDay: 0,
  monthEndImpact: 180,
  daily: [],
};

/** Posts the alert as the app would and returns the message as Slack hands it back with a button press. */
async function postAlert(): Promise<{ ts: string; text: string; blocks: unknown[] }> {
  const stack = stackOf();
  const message = renderAnomalyAlert(egress, { orgLabel: 'default', period: PERIOD, alertKey: ALERT });
  const client = new webApi.WebClient(SEED.botToken, { slackApiUrl: stack.slack.url });
  const posted = await client.chat.postMessage({
    channel: CHANNELS.billing,
    text: message.text,
    blocks: message.blocks,
  });
  return { ts: posted.ts as string, text: message.text, blocks: message.blocks };
}

async function press(
  choice: 'expected' | 'investigating' | 'unexpected',
  user: string,
  message: { ts: string; text: string; blocks: unknown[] },
) {
  const stack = stackOf();
  const value = JSON.stringify({ org: 'default', period: PERIOD, alert: ALERT, line: 'line:data_egress' });
  const responseUrl = stack.slack.responseUrl();
  const response = await sendBlockAction({
    appUrl: stack.appUrl,
    signingSecret: DEFAULT_APP.signingSecret,
    team: SEED.team.id,
    user,
    channel: CHANNELS.billing,
    actions: [{ action_id: feedbackActionId(choice), value }],
    responseUrl,
    triggerId: stack.slack.triggerId(),
    message: { type: 'message', ts: message.ts, text: message.text, blocks: message.blocks },
  });
  expect(response.status).toBe(200);
  return responseUrl;
}

function current(ts: string) {
  return stackOf()
    .slack.messagesIn(CHANNELS.billing)
    .find((message) => message.ts === ts);
}

describe('alert feedback buttons', () => {
  it('Expected updates the alert in place with who chose it, mutes the line and is audited', async () => {
    const stack = stackOf();
    const alert = await postAlert();
    await press('expected', USERS.ada, alert);
    await stack.slack.waitForCall('chat.update', (call) => call.ok, 5_000);

    const updated = current(alert.ts);
    expect(updated?.updates).toBe(1);
    const shown = JSON.stringify(updated?.blocks);
    expect(shown).toContain(
      `:white_check_mark: Expected (line muted until the period ends) — <@${USERS.ada}> at <!date^`,
    );
    // The buttons stay, so others can still answer.
    expect(shown).toContain(feedbackActionId('unexpected'));

    const orgId = stack.emulator.orgs[0]?.orgId ?? '';
    expect(await new AlertFeedback(stack.app.services.store).mutedLines(ref, orgId, PERIOD)).toEqual(
      new Set(['line:data_egress']),
    );
    const [entry] = await stack.app.services.audit.latest(ref, 1);
    expect(entry).toMatchObject({ action: 'alert.feedback', actor: USERS.ada, detail: `expected on ${ALERT}` });
  });

  it('a second person’s answer is added under the first; only Expected mutes', async () => {
    const stack = stackOf();
    const alert = await postAlert();
    await press('investigating', USERS.ada, alert);
    await stack.slack.waitForCall('chat.update', (call) => call.ok, 5_000);
    await press('unexpected', USERS.grace, { ...alert, blocks: current(alert.ts)?.blocks ?? [] });
    await stack.slack.waitForCall(
      'chat.update',
      (call) => call.ok && call.args.ts === alert.ts && JSON.stringify(call.args).includes('Unexpected —'),
      5_000,
    );
    const shown = JSON.stringify(current(alert.ts)?.blocks);
    expect(shown).toContain(`:mag: Investigating — <@${USERS.ada}>`);
    expect(shown).toContain(`:rotating_light: Unexpected — <@${USERS.grace}>`);
    const orgId = stack.emulator.orgs[0]?.orgId ?? '';
    expect(await new AlertFeedback(stack.app.services.store).mutedLines(ref, orgId, PERIOD)).toEqual(new Set());
  });

  it('someone who may not view the org cannot answer, and the alert is left alone', async () => {
    const stack = stackOf();
    const alert = await postAlert();
    const responseUrl = await press('expected', USERS.linus, alert);
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toMatch(/access/i);
    expect(current(alert.ts)?.updates).toBe(0);
    const orgId = stack.emulator.orgs[0]?.orgId ?? '';
    expect(await new AlertFeedback(stack.app.services.store).mutedLines(ref, orgId, PERIOD)).toEqual(new Set());
  });

  it('a forged value is refused without touching anything', async () => {
    const stack = stackOf();
    const alert = await postAlert();
    const responseUrl = stack.slack.responseUrl();
    const response = await sendBlockAction({
      appUrl: stack.appUrl,
      signingSecret: DEFAULT_APP.signingSecret,
      team: SEED.team.id,
      user: USERS.ada,
      channel: CHANNELS.billing,
      actions: [{ action_id: feedbackActionId('expected'), value: '{"org":"default","alert":"x"}' }],
      responseUrl,
      message: { type: 'message', ts: alert.ts, text: alert.text, blocks: alert.blocks },
    });
    expect(response.status).toBe(200);
    const answer = await stack.slack.waitForResponse(responseUrl, undefined, 5_000);
    expect((answer.body as { text: string }).text).toBe('That button is out of date; answer on a newer alert.');
    expect(current(alert.ts)?.updates).toBe(0);
  });
});
