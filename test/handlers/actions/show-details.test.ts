/**
 * The overview's detail buttons end to end: the buttons the app rendered are pressed (signed
 * block_actions payloads) and answer exactly as their subcommands do.
 */
import { buttonsOf, messageText, SEED, USERS, useLocalStack } from '../../support/stack';

const stackOf = useLocalStack(
  {},
  {
    async reset(stack) {
      const ref = { teamId: SEED.team.id };
      const workspace = await stack.app.services.store.workspaces.get(ref);
      for (const viewer of workspace.viewers) await stack.app.services.store.workspaces.revokeViewer(ref, viewer);
    },
  },
);

async function overviewButtons() {
  const { answer } = await stackOf().command('');
  if (!answer) throw new Error('no overview');
  return buttonsOf(answer.body);
}

describe('overview buttons', () => {
  it.each([
    ['Usage details', 'viam_usage.show_usage', 'usage'],
    ['Invoices', 'viam_usage.show_invoices', 'invoices'],
    ['Billing info', 'viam_usage.show_billing', 'billing'],
  ])('%s answers as `/viam-usage %s`', async (label, actionId, subcommand) => {
    const stack = stackOf();
    const button = (await overviewButtons()).find((candidate) => candidate.text === label);
    expect(button?.actionId).toBe(actionId);
    const pressed = await stack.pressButton(actionId, button?.value ?? '');
    expect(pressed.ack.status).toBe(200);
    expect(pressed.ack.ackMs).toBeLessThan(1_000);
    const typed = await stack.command(subcommand);
    expect(pressed.answer?.body.response_type).toBe('ephemeral');
    expect(pressed.answer?.body.text).toBe(typed.answer?.body.text);
    expect(pressed.answer?.body.text).toMatch(/default/);
  });

  it('a button names its org, so it keeps answering for that org', async () => {
    const stack = stackOf();
    const rivet = stack.emulator.orgs[1];
    if (!rivet) throw new Error('the emulator fixture has no second org');
    const ref = { teamId: SEED.team.id };
    await stack.app.services.store.workspaces.connectOrg(ref, {
      label: 'rivet',
      orgId: rivet.orgId,
      apiKey: { id: rivet.apiKeyId, key: rivet.apiKey },
      connectedBy: USERS.ada,
    });
    try {
      const pressed = await stack.pressButton('viam_usage.show_billing', JSON.stringify({ org: 'rivet' }));
      expect(messageText(pressed.answer?.body)).toContain('accounts@rivet-farms.example');
    } finally {
      await stack.app.services.store.workspaces.disconnectOrg(ref, 'rivet');
    }
  });

  it('the person pressing needs access too: a forwarded button does not bypass it', async () => {
    const stack = stackOf();
    const [usage] = await overviewButtons();
    const pressed = await stack.pressButton(usage?.actionId ?? '', usage?.value ?? '', { user: USERS.linus });
    expect(pressed.answer?.body.text).toMatch(/^You don’t have access to Viam billing/);
    expect(stack.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(1);
  });

  it.each([
    ['not JSON', 'garbage'],
    ['JSON of another shape', JSON.stringify({ org: 'default', admin: true })],
    ['an empty org', JSON.stringify({ org: '' })],
    ['far too long', JSON.stringify({ org: 'x'.repeat(3000) })],
  ])('a forged value (%s) is refused politely and Viam is not called', async (_what, value) => {
    const stack = stackOf();
    const pressed = await stack.pressButton('viam_usage.show_usage', value);
    expect(pressed.ack.status).toBe(200);
    expect(pressed.answer?.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'That button is out of date. Run the command again.',
    });
    expect(stack.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(0);
  });

  it('a button for an org that was disconnected since says so', async () => {
    const pressed = await stackOf().pressButton('viam_usage.show_invoices', JSON.stringify({ org: 'gone' }));
    expect(pressed.answer?.body.text).toBe(
      'No connected org is called `gone`. Connected: `default`. `/viam-usage orgs` lists them.',
    );
  });
});
