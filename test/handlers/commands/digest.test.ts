/**
 * `/viam-usage digest …` end to end: signed slash commands over HTTP into the real app, channel checks
 * and posts against the Slack stand-in, Viam reads over gRPC from the emulator, and the scheduled
 * path driven through the app's own scheduler with one movable clock for the app and the emulator.
 */
import type { LocalStack } from '../../../dev/local-stack';
import { ACTION_SHARE_INVOICE_PDF } from '../../../src/blocks/ids';
import {
  buttonsOf,
  CHANNELS,
  FIXED_NOW,
  messageText,
  SEED,
  USERS,
  useLocalStack,
  workspaceOf,
} from '../../support/stack';

const TEAM = { teamId: SEED.team.id };
const DIGEST_EVENT_TYPE = 'viam_billing_digest';

/** The app and the emulator read this; each test starts at FIXED_NOW (Thursday, Nov 26, 2026, 15:00 UTC). */
let clockMs = FIXED_NOW.getTime();
const now = () => new Date(clockMs);

const stackOf = useLocalStack(
  { now },
  {
    async reset(stack) {
      clockMs = FIXED_NOW.getTime();
      const { store } = stack.app.services;
      const workspace = await store.workspaces.get(TEAM);
      for (const org of workspace.orgs) {
        if (org.label !== 'default') await store.workspaces.disconnectOrg(TEAM, org.label);
      }
      for (const viewer of workspace.viewers) await store.workspaces.revokeViewer(TEAM, viewer);
      const { schedules } = stack.app.services.digests;
      for (const schedule of await schedules.listFor(TEAM)) await schedules.remove(TEAM, schedule.channelId);
      // Joining #random is part of one test; every test starts with the bot outside it, as seeded.
      const random = stack.slack.workspace.channel(CHANNELS.random);
      if (random?.members.includes(SEED.botUserId))
        stack.slack.workspace.removeChannelMember(random.id, SEED.botUserId);
    },
  },
);

/** How Slack sends `#name` in a command when the manifest says should_escape. */
function ref(channelId: string): string {
  const channel = stackOf().slack.workspace.channel(channelId);
  if (!channel) throw new Error(`no stand-in channel ${channelId}`);
  return `<#${channel.id}|${channel.name}>`;
}

/** The answer's text (fallback and blocks), failing the test when the app gave none. */
async function answerTo(text: string, options: { user?: string; channel?: string } = {}): Promise<string> {
  const { ack, answer } = await stackOf().command(text, options);
  expect(ack.status).toBe(200);
  if (!answer) throw new Error(`no answer to "${text}"`);
  expect(answer.body.response_type ?? 'ephemeral').toBe('ephemeral');
  return messageText(answer.body);
}

function schedules() {
  return stackOf().app.services.digests.schedules.listFor(TEAM);
}

/** Digest messages (not other posts) the bot has in a channel. */
function digestsIn(channelId: string) {
  return stackOf()
    .slack.messagesIn(channelId)
    .filter((message) => (message.metadata as { event_type?: unknown } | undefined)?.event_type === DIGEST_EVENT_TYPE);
}

async function connectRivet(label: string, connectedBy: string = USERS.ada): Promise<void> {
  const stack = stackOf();
  const rivet = stack.emulator.orgs[1];
  if (!rivet) throw new Error('the emulator fixture has no second org');
  await stack.app.services.store.workspaces.connectOrg(TEAM, {
    label,
    orgId: rivet.orgId,
    apiKey: { id: rivet.apiKeyId, key: rivet.apiKey },
    connectedBy,
  });
}

function money(amount: number): string {
  return `$${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The month-to-date subtotal the emulator reports for an org right now, read over gRPC. */
async function monthToDate(stack: LocalStack, index: number): Promise<number> {
  const org = stack.emulator.orgs[index];
  if (!org) throw new Error(`no emulator org ${index}`);
  const usage = await stack.app.services.billing.getCurrentMonthUsage({ id: org.apiKeyId, key: org.apiKey }, org.orgId);
  return usage.subtotal;
}

describe('digest #channel: setting a schedule', () => {
  it('defaults to Monday 09:00 in the caller’s time zone and names the next run in local time', async () => {
    const answer = await answerTo(`digest ${ref(CHANNELS.billing)}`);
    // ada's zone from users.info is America/New_York; Thursday Nov 26 -> Monday Nov 30.
    expect(answer).toContain(
      `Weekly Viam digest in <#${CHANNELS.billing}> every Monday at 09:00 (America/New_York) for \`default\`.`,
    );
    expect(answer).toContain('Next: Nov 30, 2026 09:00 (America/New_York).');
    expect(answer).not.toContain('&lt;');
    expect(await schedules()).toEqual([
      expect.objectContaining({
        channelId: CHANNELS.billing,
        weekday: 'mon',
        time: '09:00',
        timeZone: 'America/New_York',
        orgLabel: 'default',
        createdBy: USERS.ada,
        createdAt: FIXED_NOW.toISOString(),
      }),
    ]);

    const list = await answerTo('digest list');
    expect(list).toContain(
      `<#${CHANNELS.billing}> every Monday at 09:00 (America/New_York) for \`default\`, next Nov 30, 2026 09:00 (America/New_York)`,
    );
  });

  it('takes day, time, zone and --org, with one schedule per channel side by side', async () => {
    await connectRivet('farms');
    const general = await answerTo(`digest ${ref(CHANNELS.general)} fri 16:30 Europe/Berlin --org farms`);
    expect(general).toContain('every Friday at 16:30 (Europe/Berlin) for `farms`');
    expect(general).toContain('Next: Nov 27, 2026 16:30 (Europe/Berlin).');
    // grace (Los Angeles) sets the private channel the bot is in; her zone is the default.
    const finance = await answerTo(`digest ${ref(CHANNELS.finance)} wednesday 7am`, { user: USERS.grace });
    expect(finance).toContain('every Wednesday at 07:00 (America/Los_Angeles) for `default`');
    await answerTo(`digest ${ref(CHANNELS.billing)}`);

    const byChannel = Object.fromEntries((await schedules()).map((schedule) => [schedule.channelId, schedule]));
    expect(Object.keys(byChannel).sort()).toEqual([CHANNELS.billing, CHANNELS.general, CHANNELS.finance].sort());
    expect(byChannel[CHANNELS.general]).toMatchObject({
      weekday: 'fri',
      time: '16:30',
      timeZone: 'Europe/Berlin',
      orgLabel: 'farms',
    });
    expect(byChannel[CHANNELS.finance]).toMatchObject({ weekday: 'wed', time: '07:00', createdBy: USERS.grace });

    const list = await answerTo('digest list');
    expect(list).toContain(
      `<#${CHANNELS.general}> every Friday at 16:30 (Europe/Berlin) for \`farms\`, next Nov 27, 2026 16:30 (Europe/Berlin)`,
    );
    expect(list).toContain(
      `<#${CHANNELS.finance}> every Wednesday at 07:00 (America/Los_Angeles) for \`default\`, next Dec 2, 2026 07:00 (America/Los_Angeles)`,
    );
    expect(list).toContain(`<#${CHANNELS.billing}> every Monday at 09:00 (America/New_York) for \`default\``);

    // Setting a channel again replaces its schedule rather than adding a second one.
    await answerTo(`digest ${ref(CHANNELS.general)} tue 08:00 UTC`);
    const again = await schedules();
    expect(again).toHaveLength(3);
    expect(again.find((schedule) => schedule.channelId === CHANNELS.general)).toMatchObject({
      weekday: 'tue',
      time: '08:00',
      timeZone: 'UTC',
      orgLabel: 'default',
    });
  });

  it.each([
    ['a bad day', 'funday 09:00', '`funday` is not a day of the week.'],
    ['a bad time', 'mon 25:00', '`25:00` is not a time of day.'],
    ['a bad zone', 'mon 09:00 Mars/Olympus_Mons', '`Mars/Olympus_Mons` is not a time zone I know.'],
  ])('answers %s with one sentence and an example, saving nothing', async (_what, words, start) => {
    const answer = await answerTo(`digest ${ref(CHANNELS.billing)} ${words}`);
    expect(answer).toContain(start);
    expect(answer).toContain('e.g. `/viam-usage digest #billing mon 09:00 Europe/Berlin`.');
    expect(await schedules()).toEqual([]);
  });

  it('names the connected orgs when --org is not one of them', async () => {
    const answer = await answerTo(`digest ${ref(CHANNELS.billing)} --org nope`);
    expect(answer).toContain('No connected org is called `nope`. Connected: `default`.');
    expect(await schedules()).toEqual([]);
  });

  it('joins a public channel it is not in, then saves the schedule', async () => {
    const stack = stackOf();
    const answer = await answerTo(`digest ${ref(CHANNELS.random)} thu 10:00`);
    expect(answer).toContain(`Weekly Viam digest in <#${CHANNELS.random}> every Thursday at 10:00`);
    expect(stack.slack.calls('conversations.join').map((call) => call.args.channel)).toEqual([CHANNELS.random]);
    expect(stack.slack.workspace.channel(CHANNELS.random)?.members).toContain(SEED.botUserId);
    expect((await schedules()).map((schedule) => schedule.channelId)).toEqual([CHANNELS.random]);
  });

  it('asks for an /invite to a private channel it is not in, and saves nothing', async () => {
    const stack = stackOf();
    const answer = await answerTo(`digest ${ref(CHANNELS.leadership)}`);
    expect(answer).toContain(`<#${CHANNELS.leadership}>`);
    expect(answer).toContain('invite me with `/invite @viam-billing`');
    expect(answer).not.toContain('&lt;');
    expect(stack.slack.calls('conversations.join')).toEqual([]);
    expect(await schedules()).toEqual([]);
  });

  it('refuses an archived channel, and saves nothing', async () => {
    const answer = await answerTo(`digest ${ref(CHANNELS.oldProjects)}`);
    expect(answer).toContain(`<#${CHANNELS.oldProjects}> is archived; pick another channel.`);
    expect(await schedules()).toEqual([]);
  });
});

describe('who may manage digests', () => {
  it('refuses a member who is neither admin nor connector, for set, off and now', async () => {
    await answerTo(`digest ${ref(CHANNELS.billing)}`);
    const stack = stackOf();
    stack.slack.resetRecords();
    for (const text of [`digest ${ref(CHANNELS.general)}`, `digest off ${ref(CHANNELS.billing)}`, 'digest now']) {
      const answer = await answerTo(text, { user: USERS.linus });
      expect(answer).toContain('Only workspace admins and whoever connected an org can change Viam billing settings');
    }
    expect((await schedules()).map((schedule) => schedule.channelId)).toEqual([CHANNELS.billing]);
    expect(stack.slack.calls('chat.postMessage')).toEqual([]);
  });

  it('lets a member who connected an org manage digests', async () => {
    await connectRivet('farms', USERS.mei);
    const answer = await answerTo(`digest ${ref(CHANNELS.general)} --org farms`, {
      user: USERS.mei,
      channel: CHANNELS.general,
    });
    // mei's zone is Asia/Tokyo.
    expect(answer).toContain('every Monday at 09:00 (Asia/Tokyo) for `farms`');
    expect(await schedules()).toEqual([expect.objectContaining({ channelId: CHANNELS.general, createdBy: USERS.mei })]);
  });

  it('shows the list to a granted viewer, and not to a member without access', async () => {
    await answerTo(`digest ${ref(CHANNELS.billing)}`);
    const refused = await answerTo('digest list', { user: USERS.linus });
    expect(refused).toContain('access add @you');
    expect(refused).not.toContain('every Monday');

    await stackOf().app.services.store.workspaces.grantViewer(TEAM, USERS.linus);
    const list = await answerTo('digest list', { user: USERS.linus });
    expect(list).toContain(`<#${CHANNELS.billing}> every Monday at 09:00 (America/New_York) for \`default\``);
  });
});

describe('digest off', () => {
  it('stops a channel’s digest, after which the list is empty', async () => {
    await answerTo(`digest ${ref(CHANNELS.billing)}`);
    expect(await answerTo(`digest off ${ref(CHANNELS.billing)}`)).toContain(
      `The weekly Viam digest in <#${CHANNELS.billing}> is off.`,
    );
    expect(await schedules()).toEqual([]);
    expect(await answerTo('digest list')).toContain('No weekly digest is set up.');
  });

  it('says so when the channel had no digest', async () => {
    expect(await answerTo(`digest off ${ref(CHANNELS.general)}`)).toContain(
      `There was no weekly digest in <#${CHANNELS.general}>.`,
    );
  });
});

describe('digest now', () => {
  it('posts the digest with the emulator’s data in the channel and answers the caller', async () => {
    const stack = stackOf();
    const answer = await answerTo(`digest now ${ref(CHANNELS.billing)}`, { channel: CHANNELS.general });
    expect(answer).toContain(`Posted a Viam digest in <#${CHANNELS.billing}>.`);

    const posted = digestsIn(CHANNELS.billing);
    expect(posted).toHaveLength(1);
    const [digest] = posted;
    if (!digest) throw new Error('no digest');
    expect(digest.user).toBe(SEED.botUserId);
    const spend = money(await monthToDate(stack, 0));
    expect(digest.text).toMatch(/^Weekly Viam digest for default: /);
    expect(digest.text).toContain(`${spend} month to date`);
    expect(digest.text).toContain('Outstanding balance $519.65.');
    const [first, second] = (digest.blocks ?? []) as Array<{
      type: string;
      text?: { text: string };
      fields?: { text: string }[];
    }>;
    expect(first).toMatchObject({ type: 'header', text: { text: 'Weekly Viam digest · default' } });
    expect(second?.fields?.[0]?.text).toBe(`*Month to date*\n${spend}`);

    // Acme's Nov 1 invoice ($268.55, due Nov 16, card declined) is overdue on Nov 26.
    const shown = messageText(digest.blocks);
    expect(shown).toContain(':warning: *Overdue:* $268.55 invoice of Nov 1, 2026, due Nov 16, 2026.');
    // Its id in dev/emulator/fixtures/default.json.
    const acmeInvoice = 'in_1Q5dwGLzZ8juh4cDOAY1alln';
    expect(buttonsOf(digest)).toEqual([
      {
        actionId: ACTION_SHARE_INVOICE_PDF,
        text: 'Share PDF',
        value: JSON.stringify({ org: 'default', invoice: acmeInvoice }),
      },
    ]);
    // A one-off digest in a channel without a schedule says how to turn one on.
    expect(shown).toContain('No weekly digest here yet');
    expect(digestsIn(CHANNELS.general)).toEqual([]);
  });

  it('uses the channel the command was typed in, and that channel’s schedule and org', async () => {
    await connectRivet('farms');
    await answerTo(`digest ${ref(CHANNELS.general)} fri 16:30 Europe/Berlin --org farms`);
    const answer = await answerTo('digest now', { channel: CHANNELS.general });
    expect(answer).toContain(`Posted a Viam digest in <#${CHANNELS.general}>.`);
    const [digest] = digestsIn(CHANNELS.general);
    expect(digest?.text).toMatch(/^Weekly Viam digest for farms: /);
    expect(digest?.text).toContain(`${money(await monthToDate(stackOf(), 1))} month to date`);
    const shown = messageText(digest?.blocks);
    expect(shown).toContain('Every Friday at 16:30 (Europe/Berlin)');
    // Rivet Farms has one invoice marked overdue by Viam: it gets a Share PDF button for the farms org.
    const buttons = buttonsOf(digest ?? {});
    expect(buttons.length).toBeGreaterThan(0);
    for (const button of buttons) {
      expect(button).toMatchObject({ actionId: ACTION_SHARE_INVOICE_PDF, text: 'Share PDF' });
      expect(JSON.parse(button.value ?? '{}')).toMatchObject({ org: 'farms' });
    }
    expect(digestsIn(CHANNELS.billing)).toEqual([]);
  });

  it('answers with the "an admin must reconnect" sentence when the Viam key was revoked, posting nothing', async () => {
    const stack = stackOf();
    const acme = stack.emulator.orgs[0];
    if (!acme) throw new Error('the emulator fixture has no org');
    stack.emulator.knobs.revokeKey(acme.apiKeyId);
    const answer = await answerTo(`digest now ${ref(CHANNELS.billing)}`);
    expect(answer).toContain(
      `No digest was posted in <#${CHANNELS.billing}>: the Viam key was revoked or lost access, an admin must reconnect the org with \`/viam-usage connect\`.`,
    );
    expect(stack.slack.calls('chat.postMessage')).toEqual([]);
  });

  it('names an unknown --org instead of trying to post', async () => {
    const answer = await answerTo(`digest now ${ref(CHANNELS.billing)} --org nope`);
    expect(answer).toContain('No connected org is called `nope`.');
    expect(stackOf().slack.calls('chat.postMessage')).toEqual([]);
  });

  it('asks for an /invite instead of failing on a private channel the bot is not in', async () => {
    const answer = await answerTo(`digest now ${ref(CHANNELS.leadership)}`);
    expect(answer).toContain(`I cannot see <#${CHANNELS.leadership}>.`);
    expect(stackOf().slack.calls('chat.postMessage')).toEqual([]);
  });
});

describe('the scheduled digest through the running app', () => {
  it('posts exactly once at the scheduled time, across a second tick and an app restart', async () => {
    const stack = stackOf();
    await answerTo(`digest ${ref(CHANNELS.billing)}`);
    // Monday Nov 30, 09:00 in New York.
    const due = new Date('2026-11-30T14:00:00Z');

    const early = await stack.app.services.digests.scheduler.tick(new Date(due.getTime() - 60_000));
    expect(early.runs).toEqual([]);
    expect(digestsIn(CHANNELS.billing)).toEqual([]);

    clockMs = due.getTime();
    const first = await stack.app.services.digests.scheduler.tick(now());
    expect(first.runs).toEqual([
      expect.objectContaining({ channelId: CHANNELS.billing, outcome: expect.objectContaining({ status: 'posted' }) }),
    ]);
    expect(digestsIn(CHANNELS.billing)).toHaveLength(1);
    expect(digestsIn(CHANNELS.billing)[0]?.text).toMatch(/^Weekly Viam digest for default: /);

    clockMs += 60_000;
    await stack.app.services.digests.scheduler.tick(now());
    expect(digestsIn(CHANNELS.billing)).toHaveLength(1);

    await stack.restartApp();
    clockMs += 60_000;
    // The restarted app finds the digest due next week, not now.
    const afterRestart = await stack.app.services.digests.scheduler.tick(now());
    expect(afterRestart.runs).toEqual([]);
    expect(digestsIn(CHANNELS.billing)).toHaveLength(1);
    // The schedule itself survived the restart too.
    expect((await schedules()).map((schedule) => schedule.channelId)).toEqual([CHANNELS.billing]);
    expect((await workspaceOf(stack)).orgs.map((org) => org.label)).toEqual(['default']);
  });
});
