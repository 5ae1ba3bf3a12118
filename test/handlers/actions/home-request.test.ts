/**
 * What every Home button shares: answers open as a small modal on the press's trigger (a Home tab has
 * no response URL), crafted values are refused, failures are one sentence with a request ID, and the
 * outcome is counted.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ACTION_HOME_BUDGET, ACTION_HOME_DIGESTS, encodeButtonValue } from '../../../src/blocks/ids';
import { openedModal, pressHome, resetHomeState } from '../../home/home-stack';
import { messageText, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack({}, { reset: resetHomeState });

async function actionCount(action: string, outcome: string): Promise<number> {
  const metric = await stackOf().app.metrics.registry.getSingleMetric('viam_billing_actions_total')?.get();
  const value = metric?.values.find((entry) => entry.labels.action === action && entry.labels.outcome === outcome);
  return value?.value ?? 0;
}

/** The count once it reaches `expected`: it is bumped just after the answer that the test waits for. */
async function countReaching(action: string, outcome: string, expected: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const count = await actionCount(action, outcome);
    if (count >= expected) return count;
    await delay(20);
  }
  return actionCount(action, outcome);
}

describe('Home buttons', () => {
  it('answer a value that is not one of ours with a modal saying the button is out of date', async () => {
    const stack = stackOf();
    const modal = await openedModal(stack, await pressHome(stack, USERS.ada, ACTION_HOME_BUDGET, '{"org":1}'));
    expect(modal.title?.text).toBe('Viam billing');
    expect(messageText(modal.blocks)).toContain('That button is out of date. Open the Home tab again.');
  });

  it('show a failure as one sentence with the request ID, and count it', async () => {
    const stack = stackOf();
    const before = await actionCount('action:home-digests', 'error');
    stack.slack.failNext('views.open', 'internal_error');
    const press = await pressHome(stack, USERS.ada, ACTION_HOME_DIGESTS, encodeButtonValue({ org: 'default' }) ?? '');
    // The first views.open (the form) fails; the answer opens on a second one.
    const answer = await stack.slack.waitForCall('views.open', (call) => call.seq > press.after && call.ok, 10_000);
    const text = messageText(answer.args.view);
    expect(text).toContain(':x: Something went wrong on our side.');
    expect(text).toMatch(/Request ID `[0-9a-f]{8}`/);
    expect(await countReaching('action:home-digests', 'error', before + 1)).toBe(before + 1);
  });

  it('count a refusal as refused', async () => {
    const stack = stackOf();
    const before = await actionCount('action:home-budget', 'refused');
    await openedModal(
      stack,
      await pressHome(stack, USERS.mei, ACTION_HOME_BUDGET, encodeButtonValue({ org: 'default' }) ?? ''),
    );
    expect(await countReaching('action:home-budget', 'refused', before + 1)).toBe(before + 1);
  });
});
