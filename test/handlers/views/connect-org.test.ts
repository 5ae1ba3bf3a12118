/**
 * The connect modal's submission end to end: signed view_submission payloads into the real app, the
 * key checked live against the emulator, and the ack (`response_action`) inspected as Slack would.
 */
import { startEmulator } from '../../../dev/emulator';
import { ORG_CHECK_QUEUE, orgCheckMember } from '../../../src/alerts/check-times';
import {
  ackJson,
  BILLING_READS,
  connectValues,
  FIXED_NOW,
  messageText,
  SEED,
  status,
  USERS,
  useLocalStack,
  viamCalls,
  waitUntilViamAnswers,
  workspaceOf,
} from '../../support/stack';

const CALLBACK = 'viam_usage.connect_org';

// Starts unconnected: the modal is the only way in.
const stackOf = useLocalStack(
  { connectDemoOrg: false },
  {
    async reset(stack) {
      const ref = { teamId: SEED.team.id };
      for (const org of (await workspaceOf(stack)).orgs) {
        await stack.app.services.store.workspaces.disconnectOrg(ref, org.label);
      }
    },
  },
);

function rivet() {
  const org = stackOf().emulator.orgs[1];
  if (!org) throw new Error('the emulator fixture has no second org');
  return org;
}

function acme() {
  const org = stackOf().emulator.orgs[0];
  if (!org) throw new Error('the emulator fixture has no org');
  return org;
}

async function submit(values: Parameters<typeof connectValues>[0], user: string = USERS.ada) {
  const response = await stackOf().submitView(CALLBACK, connectValues(values), {
    user,
    privateMetadata: JSON.stringify({ channelId: SEED.channels.billing }),
  });
  return { ...response, json: ackJson(response.body) };
}

async function expectNothingStored(): Promise<void> {
  expect((await workspaceOf(stackOf())).orgs).toEqual([]);
}

describe('connect modal submission', () => {
  it('a good key is checked, stored, confirmed in the modal, and then usable with --org', async () => {
    const stack = stackOf();
    const org = rivet();
    const ack = await submit({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey, label: 'farms' });
    expect(ack.status).toBe(200);
    expect(ack.json.response_action).toBe('update');
    const view = ack.json.view as { title: { text: string }; blocks: unknown[] };
    expect(view.title.text).toBe('Viam org connected');
    expect(messageText(view.blocks)).toContain(`Connected \`farms\` (org \`${org.orgId}\`)`);
    expect(messageText(view)).not.toContain(org.apiKey);
    expect(stack.emulator.knobs.callCount('GetOrgBillingInformation')).toBe(1);

    const stored = await workspaceOf(stack);
    expect(stored.orgs).toEqual([
      expect.objectContaining({ label: 'farms', orgId: org.orgId, apiKeyId: org.apiKeyId, connectedBy: USERS.ada }),
    ]);
    // Its hourly check is due at once: the first snapshot need not wait for the org's minute.
    const due = await stack.app.services.store.due.get(
      ORG_CHECK_QUEUE,
      orgCheckMember({ teamId: SEED.team.id }, org.orgId),
    );
    expect(due).toEqual(FIXED_NOW);

    const orgs = await stack.command('orgs');
    expect(orgs.answer?.body.text).toBe('1 Viam org is connected: farms (default).');

    // A second org next to it, then --org picks each.
    const other = acme();
    const second = await submit({ orgId: other.orgId, apiKeyId: other.apiKeyId, apiKey: other.apiKey, label: 'acme' });
    expect(second.json.response_action).toBe('update');
    const farms = await stack.command('billing --org farms');
    expect(messageText(farms.answer?.body)).toContain('accounts@rivet-farms.example');
    const acmeBilling = await stack.command('billing --org acme');
    expect(messageText(acmeBilling.answer?.body)).toContain('billing@acme-robotics.example');
  });

  it('without a label the first org is called default', async () => {
    const org = rivet();
    const ack = await submit({ orgId: org.orgId.toUpperCase(), apiKeyId: org.apiKeyId, apiKey: ` ${org.apiKey} ` });
    expect(ack.json.response_action).toBe('update');
    expect((await workspaceOf(stackOf())).orgs).toEqual([
      expect.objectContaining({ label: 'default', orgId: org.orgId }),
    ]);
  });

  it('malformed IDs get inline errors on their own inputs and Viam is never called', async () => {
    const stack = stackOf();
    const ack = await submit({ orgId: 'acme-robotics', apiKeyId: 'key-1', apiKey: 'secret', label: '!bad label' });
    expect(ack.status).toBe(200);
    expect(ack.json.response_action).toBe('errors');
    const errors = ack.json.errors as Record<string, string>;
    expect(Object.keys(errors).sort()).toEqual(['connect.api_key_id', 'connect.label', 'connect.org_id']);
    expect(errors['connect.api_key_id']).toBe('The API key ID must be a UUID, as Viam shows it next to the key.');
    expect(errors['connect.org_id']).toMatch(/UUID/);
    expect(viamCalls(stack, BILLING_READS)).toBe(0);
    await expectNothingStored();
  });

  it('a wrong secret is refused on the API key input', async () => {
    const stack = stackOf();
    const org = rivet();
    const ack = await submit({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: 'not-the-right-secret-at-all' });
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: { 'connect.api_key': 'Viam did not accept this API key ID and key. Check both, or create a new key.' },
    });
    expect(stack.emulator.knobs.callCount('Authenticate')).toBe(1);
    await expectNothingStored();
  });

  it("another org's key is refused on the org ID input (permission denied)", async () => {
    const stack = stackOf();
    const other = acme();
    const org = rivet();
    const ack = await submit({ orgId: org.orgId, apiKeyId: other.apiKeyId, apiKey: other.apiKey });
    expect(ack.json.response_action).toBe('errors');
    expect(ack.json.errors).toEqual({
      'connect.org_id': expect.stringMatching(/^This key cannot read billing for this organization\./),
    });
    // One read, or two when a cached token of that key was refused and a fresh one asked again.
    expect(stack.emulator.knobs.callCount('GetOrgBillingInformation')).toBeGreaterThanOrEqual(1);
    await expectNothingStored();
  });

  it('Viam unreachable: an inline error saying nothing was saved', async () => {
    const stack = stackOf();
    const org = rivet();
    stack.emulator.knobs.failNext('GetOrgBillingInformation', 5, status.UNAVAILABLE);
    const ack = await submit({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey });
    expect(ack.json).toEqual({
      response_action: 'errors',
      errors: {
        'connect.api_key':
          'Viam could not be reached just now, so the key was not checked or saved. Submit again in a minute.',
      },
    });
    expect(ack.ackMs).toBeLessThan(2_800);
    await expectNothingStored();
  });

  it('Viam slower than Slack waits: the ack still comes in time with an inline error', async () => {
    const stack = stackOf();
    const org = rivet();
    stack.emulator.knobs.setLatency('GetOrgBillingInformation', 3_500);
    const ack = await submit({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey });
    expect(ack.ackMs).toBeLessThan(2_700);
    expect(ack.json.response_action).toBe('errors');
    expect((ack.json.errors as Record<string, string>)['connect.api_key']).toMatch(/could not be reached just now/);
    await expectNothingStored();
  });

  it('a member who may not manage the workspace cannot connect by submitting the form', async () => {
    const stack = stackOf();
    const org = rivet();
    const ack = await submit({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey }, USERS.linus);
    expect(ack.json.response_action).toBe('errors');
    expect(Object.values(ack.json.errors as Record<string, string>).join(' ')).toMatch(
      /^Only workspace admins and whoever connected an org/,
    );
    expect(viamCalls(stack, BILLING_READS)).toBe(0);
    await expectNothingStored();
  });

  it('Viam stopped: the form says so, and once Viam is back the same submission works', async () => {
    const stack = stackOf();
    const org = rivet();
    const port = stack.emulator.port;
    await stack.emulator.stop();
    const down = await submit({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey });
    expect(down.ackMs).toBeLessThan(2_800);
    expect((down.json.errors as Record<string, string>)['connect.api_key']).toMatch(/could not be reached just now/);
    await expectNothingStored();

    const revived = await startEmulator({ port, now: () => FIXED_NOW });
    try {
      await waitUntilViamAnswers(stack);
      const up = await submit({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey });
      expect(up.json.response_action).toBe('update');
    } finally {
      await revived.stop();
    }
  });
});
