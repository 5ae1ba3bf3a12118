/**
 * What every Home form shares: rights checked again on submission, an unexpected failure before the
 * answer shown inline with the request ID, and the outcome counted.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { DIGEST_FORM, VIEW_HOME_DIGESTS } from '../../../src/blocks/ids';
import { digestValues, resetHomeState, submitForm, TEAM } from '../../home/home-stack';
import { CHANNELS, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });

async function actionCount(outcome: string): Promise<number> {
  const metric = await stackOf().app.metrics.registry.getSingleMetric('viam_billing_actions_total')?.get();
  return (
    metric?.values.find((entry) => entry.labels.action === 'view:home-digests' && entry.labels.outcome === outcome)
      ?.value ?? 0
  );
}

/** The count once it reaches `expected`: a saved form is counted after the Home tab is redrawn. */
async function countReaching(outcome: string, expected: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const count = await actionCount(outcome);
    if (count >= expected) return count;
    await delay(20);
  }
  return actionCount(outcome);
}

const VALUES = digestValues({
  channel: CHANNELS.billing,
  org: 'default',
  weekday: 'mon',
  time: '09:00',
  timeZone: 'UTC',
});

describe('Home form submissions', () => {
  it('show an unexpected failure inline, with the request ID, and count it as an error', async () => {
    const stack = stackOf();
    const before = await actionCount('error');
    stack.slack.failNext('conversations.info', 'internal_error');
    const ack = await submitForm(stack, VIEW_HOME_DIGESTS, VALUES, { user: USERS.ada });
    expect(ack.json.response_action).toBe('errors');
    const errors = ack.json.errors as Record<string, string>;
    expect(Object.keys(errors)).toEqual([DIGEST_FORM.channel.block]);
    expect(errors[DIGEST_FORM.channel.block]).toMatch(
      /^Something went wrong on our side\. Try again, and tell your admin if it keeps happening\. \(request [0-9a-f]{8}\)$/,
    );
    expect(await stack.app.services.digests.schedules.listFor(TEAM)).toEqual([]);
    expect(await actionCount('error')).toBe(before + 1);
  });

  it('count a refusal as refused and a saved form as ok', async () => {
    const stack = stackOf();
    const refusedBefore = await actionCount('refused');
    const okBefore = await actionCount('ok');
    await submitForm(stack, VIEW_HOME_DIGESTS, VALUES, { user: USERS.linus });
    await submitForm(stack, VIEW_HOME_DIGESTS, VALUES, { user: USERS.grace });
    expect(await actionCount('refused')).toBe(refusedBefore + 1);
    expect(await countReaching('ok', okBefore + 1)).toBe(okBefore + 1);
  });
});
