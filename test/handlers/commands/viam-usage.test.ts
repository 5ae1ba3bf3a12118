/**
 * `/viam-usage` end to end: signed slash commands over HTTP into the real app, Viam reads over gRPC
 * from the emulator, answers on the stand-in's response URLs.
 */
import { BACKENDS } from '../../store/support';
import { takeTurnsOnSharedServers } from '../../support/shared-servers';
import {
  blocksText,
  buttonsOf,
  CHANNELS,
  messageText,
  SEED,
  USERS,
  useLocalStack,
  workspaceOf,
} from '../../support/stack';

// Redis and PostgreSQL hold the app's one namespace: files using them take turns.
takeTurnsOnSharedServers();

const stackOf = useLocalStack(
  {},
  {
    // Every test starts from the demo org alone, connected at start, and nobody granted.
    async reset(stack) {
      const ref = { teamId: SEED.team.id };
      const workspace = await stack.app.services.store.workspaces.get(ref);
      for (const org of workspace.orgs) {
        if (org.label !== 'default') await stack.app.services.store.workspaces.disconnectOrg(ref, org.label);
      }
      for (const viewer of workspace.viewers) await stack.app.services.store.workspaces.revokeViewer(ref, viewer);
    },
  },
);

function acme() {
  const org = stackOf().emulator.orgs[0];
  if (!org) throw new Error('the emulator fixture has no org');
  return org;
}

async function connectSecondOrg(label: string): Promise<void> {
  const stack = stackOf();
  const rivet = stack.emulator.orgs[1];
  if (!rivet) throw new Error('the emulator fixture has no second org');
  await stack.app.services.store.workspaces.connectOrg(
    { teamId: SEED.team.id },
    { label, orgId: rivet.orgId, apiKey: { id: rivet.apiKeyId, key: rivet.apiKey }, connectedBy: USERS.ada },
  );
}

describe('/viam-usage overview', () => {
  it('answers with the month so far, the balance, the payment method and detail buttons', async () => {
    const { ack, answer } = await stackOf().command('');
    expect(ack.status).toBe(200);
    expect(answer?.body.response_type).toBe('ephemeral');
    const body = answer?.body;
    if (!body) throw new Error('no answer');
    expect(body.text).toMatch(/^Viam billing for default\. \$\d[\d,]*\.\d\d so far this billing period/);
    expect(body.text).toContain('Outstanding balance $519.65.');
    expect(body.text).toContain('1 invoice is overdue.');
    expect(body.text).toContain('(Nov 1 – Nov 30, 2026 · day 26 of 30)');
    const shown = blocksText(body);
    expect(shown).toContain('Viam billing · default');
    expect(shown).toContain('*Top categories*');
    expect(shown).toContain(
      ':warning: *Overdue:* $268.55 invoice of Nov 1, 2026, due Nov 16, 2026. The card was declined.',
    );
    expect(shown).toContain('Visa');
    expect(shown).toContain('4242');
    expect(buttonsOf(body).map((button) => button.text)).toEqual(['Usage details', 'Invoices', 'Billing info']);
    expect(buttonsOf(body).every((button) => button.value === JSON.stringify({ org: 'default' }))).toBe(true);
  });

  it('runs its three Viam reads in parallel', async () => {
    const stack = stackOf();
    // A first command warms the token cache, so the timing below is the three reads alone.
    await stack.command('billing');
    for (const method of ['GetCurrentMonthUsage', 'GetInvoicesSummary', 'GetOrgBillingInformation'] as const) {
      stack.emulator.knobs.setLatency(method, 300);
    }
    const started = performance.now();
    const { ack, answer } = await stack.command('');
    const elapsed = performance.now() - started;
    expect(ack.ackMs).toBeLessThan(250);
    expect(answer?.body.text).toContain('so far this billing period');
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(700);
  });

  it('still shows the other parts when one read fails', async () => {
    const stack = stackOf();
    stack.emulator.knobs.failNext('GetInvoicesSummary', 3, 14 /* UNAVAILABLE */);
    const { answer } = await stack.command('');
    const shown = messageText(answer?.body);
    expect(shown).toContain('Invoices could not be loaded.');
    expect(shown).toContain('Viam could not be reached just now. Try again in a minute.');
    expect(shown).toContain('so far this billing period');
    expect(shown).toContain('Visa');
  });
});

describe('/viam-usage usage, invoices, billing', () => {
  it('usage: the breakdown by source with tiers, discounts and totals', async () => {
    const { answer } = await stackOf().command('usage');
    const shown = messageText(answer?.body);
    expect(answer?.body.response_type).toBe('ephemeral');
    expect(shown).toContain('Fleet Monitoring Basic');
    expect(shown).toMatch(/discount/i);
    expect(shown).toContain('$74.50');
  });

  it('invoices: the balance, each invoice with a Share PDF button, and the failed payment standing out', async () => {
    const { answer } = await stackOf().command('invoices');
    const body = answer?.body;
    if (!body) throw new Error('no answer');
    expect(body.text).toContain('outstanding balance $519.65');
    const shown = blocksText(body);
    expect(shown).toContain('*Outstanding balance:* $519.65');
    expect(shown).toContain(':warning: 1 invoice is overdue; payment failed for 1 invoice.');
    expect(shown).toContain('*Nov 1, 2026* · $268.55 · :warning: *Overdue*');
    expect(shown).toContain(':x: Last payment attempt failed on Oct 31, 2026: The card was declined.');
    const shares = buttonsOf(body).filter((button) => button.text === 'Share PDF');
    expect(shares).toHaveLength(12);
    expect(JSON.parse(shares[0]?.value ?? '{}')).toEqual({ org: 'default', invoice: 'in_1Q5dwGLzZ8juh4cDOAY1alln' });
  });

  it('invoices: an overdue invoice stands out', async () => {
    await connectSecondOrg('rivet');
    const { answer } = await stackOf().command('invoices --org rivet');
    const shown = messageText(answer?.body);
    expect(shown).toContain(':warning: *Overdue*');
    expect(answer?.body.text).toMatch(/1 invoice is overdue/);
  });

  it('invoices --all lists every invoice (here all 12 fit) and invoices cut at 12 say how to see more', async () => {
    const stack = stackOf();
    const many = {
      outstandingBalance: 0,
      invoices: Array.from({ length: 30 }, (_, i) => ({
        id: `in_many${String(i).padStart(3, '0')}`,
        invoiceDate: new Date(Date.UTC(2024, 0, 1) + i * 86_400_000),
        invoiceAmount: 10 + i,
        status: 'paid',
        dueDate: new Date(Date.UTC(2024, 0, 15) + i * 86_400_000),
        paidDate: new Date(Date.UTC(2024, 0, 2) + i * 86_400_000),
        lastPaymentFailureReason: '',
        lastPaymentFailureAt: undefined,
      })),
    };
    stack.emulator.knobs.setInvoicesResponse(acme().orgId, many);
    const recent = await stack.command('invoices');
    expect(buttonsOf(recent.answer?.body ?? {}).filter((b) => b.text === 'Share PDF')).toHaveLength(12);
    expect(messageText(recent.answer?.body)).toContain('…and 18 more (see `/viam-usage invoices --all`)');

    const all = await stack.command('invoices --all');
    expect(buttonsOf(all.answer?.body ?? {}).filter((b) => b.text === 'Share PDF')).toHaveLength(30);
    expect(messageText(all.answer?.body)).not.toContain('more (see');
  });

  it('billing: payment method, billing email and tier', async () => {
    const { answer } = await stackOf().command('billing');
    const shown = messageText(answer?.body);
    expect(shown).toContain('billing@acme-robotics.example');
    expect(shown).toContain('4242');
  });

  it('share as the last word posts in the channel; without it the answer is ephemeral', async () => {
    const stack = stackOf();
    const shared = await stack.command('billing share');
    expect(shared.answer?.body.response_type).toBe('in_channel');
    const quiet = await stack.command('billing');
    expect(quiet.answer?.body.response_type).toBe('ephemeral');
  });
});

describe('/viam-usage with several orgs', () => {
  it('--org picks the org; without it the default answers', async () => {
    await connectSecondOrg('rivet');
    const stack = stackOf();
    const rivet = await stack.command('billing --org rivet');
    expect(messageText(rivet.answer?.body)).toContain('accounts@rivet-farms.example');
    const fallback = await stack.command('billing');
    expect(messageText(fallback.answer?.body)).toContain('billing@acme-robotics.example');
    const inline = await stack.command('billing --org=RIVET');
    expect(messageText(inline.answer?.body)).toContain('accounts@rivet-farms.example');
  });

  it('an unknown --org label is named, with the connected ones, and Viam is not called', async () => {
    await connectSecondOrg('rivet');
    const stack = stackOf();
    const { answer } = await stack.command('usage --org nope');
    expect(answer?.body.text).toBe(
      'No connected org is called `nope`. Connected: `default`, `rivet`. `/viam-usage orgs` lists them.',
    );
    expect(stack.emulator.knobs.callCount('GetCurrentMonthUsage')).toBe(0);
  });

  it('orgs lists every connection with the key ID masked and never the key', async () => {
    await connectSecondOrg('rivet');
    const stack = stackOf();
    const { answer } = await stack.command('orgs');
    const shown = messageText(answer?.body);
    expect(answer?.body.text).toBe('2 Viam orgs are connected: default (default), rivet.');
    expect(shown).toContain(acme().orgId);
    expect(shown).not.toContain(acme().apiKeyId);
    expect(shown).toContain(acme().apiKeyId.slice(-4));
    expect(shown).not.toContain(acme().apiKey);
    expect(shown).not.toContain(stack.emulator.orgs[1]?.apiKey);
  });
});

describe('/viam-usage setup commands', () => {
  it('connect opens the modal through views.open with the trigger ID', async () => {
    const stack = stackOf();
    const { ack, answer } = await stack.command('connect', { waitForAnswer: false });
    expect(ack.status).toBe(200);
    const open = await stack.slack.waitForCall('views.open');
    expect(open.ok).toBe(true);
    const view = open.args.view as { callback_id: string; blocks: { block_id?: string }[]; private_metadata: string };
    expect(view.callback_id).toBe('viam_usage.connect_org');
    expect(view.blocks.map((block) => block.block_id).filter(Boolean)).toEqual(
      expect.arrayContaining(['connect.org_id', 'connect.api_key_id', 'connect.api_key', 'connect.label']),
    );
    expect(JSON.parse(view.private_metadata)).toEqual({ channelId: CHANNELS.billing });
    expect(answer).toBeUndefined();
    expect(stack.slack.responses()).toEqual([]);
  });

  it('disconnect with one org forgets it; with several it asks which one', async () => {
    await connectSecondOrg('rivet');
    const stack = stackOf();
    const which = await stack.command('disconnect');
    expect(which.answer?.body.text).toBe(
      'Say which org to disconnect, e.g. `/viam-usage disconnect <label>`. Connected: `default`, `rivet`.',
    );
    const unknown = await stack.command('disconnect nope');
    expect(unknown.answer?.body.text).toContain('No connected org is called `nope`.');

    const gone = await stack.command('disconnect rivet');
    expect(gone.answer?.body.text).toMatch(/^Disconnected `rivet`\. Its API key was deleted from this app/);
    expect((await workspaceOf(stack)).orgs.map((org) => org.label)).toEqual(['default']);
    const after = await stack.command('billing --org rivet');
    expect(after.answer?.body.text).toContain('No connected org is called `rivet`.');
  });

  it('disconnect of the last org leaves the workspace unconnected; commands then say how to connect', async () => {
    const stack = stackOf();
    const gone = await stack.command('disconnect');
    expect(gone.answer?.body.text).toMatch(/^Disconnected `default`\./);
    const usage = await stack.command('usage');
    expect(usage.answer?.body.text).toBe(
      'No Viam org is connected to this workspace yet. An org owner can connect one with `/viam-usage connect` and an organization-owner API key.',
    );
    const nothing = await stack.command('disconnect');
    expect(nothing.answer?.body.text).toBe('No Viam org is connected, so there is nothing to disconnect.');
    // Put the demo org back for the next tests, as the app would at its next start.
    const org = acme();
    await stack.app.services.store.workspaces.connectOrg(
      { teamId: SEED.team.id },
      { label: 'default', orgId: org.orgId, apiKey: { id: org.apiKeyId, key: org.apiKey }, connectedBy: USERS.ada },
    );
  });

  it('access add, list and remove', async () => {
    const stack = stackOf();
    const added = await stack.command(`access add <@${USERS.linus}|linus>`);
    expect(added.answer?.body.text).toBe(`<@${USERS.linus}> can now see Viam billing in this workspace.`);
    expect((await workspaceOf(stack)).viewers).toEqual([USERS.linus]);

    const listed = await stack.command('access list');
    expect(listed.answer?.body.text).toContain(`and to: <@${USERS.linus}>`);

    const removed = await stack.command(`access remove <@${USERS.linus}>`);
    expect(removed.answer?.body.text).toMatch(new RegExp(`^<@${USERS.linus}> no longer has view access`));
    expect((await workspaceOf(stack)).viewers).toEqual([]);
    const empty = await stack.command('access');
    expect(empty.answer?.body.text).toContain('and to: nobody yet');
  });

  it('access with a name instead of a mention explains how to mention', async () => {
    const { answer } = await stackOf().command('access add linus');
    expect(answer?.body.text).toBe('Mention the person, e.g. `/viam-usage access add @jane`.');
  });

  it('reset: refused for members, a no-op on readable settings, and a fresh start from unreadable ones', async () => {
    const stack = stackOf();
    const member = await stack.command('reset', { user: USERS.linus });
    expect(member.answer?.body.text).toMatch(/^Only workspace admins and whoever connected an org/);

    const readable = await stack.command('reset', { user: USERS.grace });
    expect(readable.answer?.body.text).toMatch(/settings read fine, so there is nothing to reset/);

    const raw = await BACKENDS[0]?.raw(stack.dataDir, 'viam-billing');
    if (!raw) throw new Error('no SQLite backend helper');
    try {
      await raw.put(`viam-billing:ws:${SEED.team.id}:workspace`, '{"value": {"v": 1, "data": BROKEN');
    } finally {
      await raw.close();
    }
    const broken = await stack.command('usage');
    expect(broken.answer?.body.text).toContain('saved Viam settings could not be read');
    expect(broken.answer?.body.text).toContain('/viam-usage reset');

    const reset = await stack.command('reset', { user: USERS.grace });
    expect(reset.answer?.body.text).toMatch(/^The unreadable settings were set aside/);
    expect((await workspaceOf(stack)).orgs).toEqual([]);
    const org = acme();
    await stack.app.services.store.workspaces.connectOrg(
      { teamId: SEED.team.id },
      { label: 'default', orgId: org.orgId, apiKey: { id: org.apiKeyId, key: org.apiKey }, connectedBy: USERS.ada },
    );
  });
});

describe('/viam-usage help and input it does not understand', () => {
  it('help lists the subcommands and options', async () => {
    const { answer } = await stackOf().command('help');
    const shown = messageText(answer?.body);
    for (const word of [
      'usage',
      'invoices',
      'invoice &lt;invoice-id&gt;',
      'billing',
      'connect',
      'disconnect',
      'orgs',
    ]) {
      expect(shown).toContain(`/viam-usage ${word}`);
    }
    expect(shown).toContain('--org &lt;label&gt;');
    expect(shown).toContain('share');
  });

  it('a typo is answered with help and a did-you-mean', async () => {
    const stack = stackOf();
    const { answer } = await stack.command('invoces');
    expect(answer?.body.text).toMatch(/^I don’t know `\/viam-usage invoces`\. Did you mean `invoices`\?/);
    expect(messageText(answer?.body)).toContain('/viam-usage billing');
    expect(stack.emulator.knobs.callCount('GetInvoicesSummary')).toBe(0);
  });

  it('nonsense gets help without a guess', async () => {
    const { answer } = await stackOf().command('xyzzy');
    expect(answer?.body.text).toMatch(/^I don’t know `\/viam-usage xyzzy`\. How to use/);
  });

  it('invalid input says what is wrong', async () => {
    const stack = stackOf();
    expect((await stack.command('usage now')).answer?.body.text).toBe(
      '`usage` does not take `now`. Try `/viam-usage help`.',
    );
    expect((await stack.command('invoice')).answer?.body.text).toMatch(/^Say which invoice/);
    expect((await stack.command('billing --org')).answer?.body.text).toBe(
      '`--org` needs an org label, e.g. `--org acme`.',
    );
    expect((await stack.command('usage "open')).answer?.body.text).toBe(
      'A quote is not closed; check the `"` in your command.',
    );
  });
});

describe('acknowledging in time', () => {
  it('every command acks well under 3 s even when each Viam call takes 2 s; the answer follows', async () => {
    const stack = stackOf();
    for (const method of [
      'Authenticate',
      'GetCurrentMonthUsage',
      'GetInvoicesSummary',
      'GetOrgBillingInformation',
    ] as const) {
      stack.emulator.knobs.setLatency(method, 2_000);
    }
    const commands = ['', 'usage', 'invoices', 'billing', 'orgs', 'help', 'access list', 'nonsense'];
    const results = await Promise.all(commands.map((text) => stack.command(text, { waitForAnswer: false })));
    for (const { ack } of results) {
      expect(ack.status).toBe(200);
      expect(ack.ackMs).toBeLessThan(1_000);
    }
    const answers = await Promise.all(
      results.map(({ responseUrl }) => stack.slack.waitForResponse(responseUrl, undefined, 8_000)),
    );
    expect(answers).toHaveLength(commands.length);
    expect(messageText(answers[0]?.body)).toContain('so far this billing period');
  });
});
