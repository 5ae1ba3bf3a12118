import { createServer } from 'node:net';
import { webApi } from '@slack/bolt';
import { buildFixture } from '../../dev/emulator';
import { MANIFEST_BOT_SCOPES } from '../../dev/slack-stand-in';
import type { RunOutcome } from '../../src/digest/runner';
import { DIGEST_QUEUE } from '../../src/digest/schedules';
import type { WorkspaceRef } from '../../src/store';
import { type Harness, startHarness } from './harness';

/**
 * 500 workspaces, each its own Slack team (own bot token and #billing) and its own Viam org from the
 * emulator's generated fixture, all due at the same minute. One in twenty fails:
 * - 13 have a revoked Viam key (permanent: one notice in the channel),
 * - 12 have an archived channel (permanent: nothing can be posted there, a log line),
 * and 13 more cannot reach Slack on their first attempt (transient: retried a minute later).
 * Separate teams rather than one team with 500 channels, so per-workspace clients, tokens and
 * store records are exercised as in a real multi-workspace install.
 */

const WORKSPACES = 500;
const DUE = '2026-11-23T08:00:00Z';

type Group = 'healthy' | 'revoked' | 'archived' | 'flaky';

function groupOf(index: number): Group {
  if (index % 40 === 3) return 'revoked';
  if (index % 40 === 23) return 'archived';
  if (index % 40 === 13) return 'flaky';
  return 'healthy';
}

async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('DigestScheduler fan-out', () => {
  let h: Harness;
  const workspaces: Array<{ ref: WorkspaceRef; channelId: string; group: Group }> = [];

  beforeAll(async () => {
    h = await startHarness({ start: '2026-11-23T07:00:00Z', fixture: buildFixture({ orgCount: WORKSPACES, seed: 7 }) });
    const setup = h.newRunner();
    for (let index = 0; index < WORKSPACES; index++) {
      const team = h.standIn.workspace.addTeam({
        name: `Fleet ${index}`,
        scopes: [...MANIFEST_BOT_SCOPES, 'channels:history', 'groups:history'],
      });
      const channelId = h.standIn.workspace.addChannel(team.id, { name: 'billing', botIsMember: true }).id;
      const ref = { teamId: team.id };
      const group = groupOf(index);
      workspaces.push({ ref, channelId, group });
      await h.connect(ref, 'fleet', index);
      await setup.schedules.set(ref, {
        channelId,
        orgLabel: 'fleet',
        weekday: 'mon',
        time: '09:00',
        timeZone: 'Europe/Berlin',
        createdBy: 'U0ADAOWNER',
        createdAt: '2026-11-01T00:00:00.000Z',
      });
      if (group === 'revoked') h.emulator.knobs.revokeKey(h.emulator.orgs[index]?.apiKeyId ?? '');
      if (group === 'archived') h.standIn.workspace.setArchived(channelId);
    }
  });

  afterAll(async () => {
    await h.stop();
  });

  it('posts every healthy workspace once, retries the flaky ones, and tells each broken channel once', async () => {
    const unreachable = `http://127.0.0.1:${await deadPort()}/api/`;
    const flaky = new Set(workspaces.filter((w) => w.group === 'flaky').map((w) => w.ref.teamId));
    const firstCall = new Set<string>();
    const runner = h.newRunner({
      // Slack is unreachable for the flaky workspaces the first time they ask for a client.
      clientFor: async (ref) => {
        if (flaky.has(ref.teamId) && !firstCall.has(ref.teamId)) {
          firstCall.add(ref.teamId);
          return new webApi.WebClient('xoxb-unreachable', { slackApiUrl: unreachable, retryConfig: { retries: 0 } });
        }
        return h.clientFor(ref);
      },
    });
    const scheduler = h.newScheduler({ runner });
    h.clock.set(DUE);

    const first = await scheduler.tick();
    expect(first.runs).toHaveLength(WORKSPACES);
    const statusByTeam = new Map(first.runs.map((run) => [run.ref.teamId, run.outcome]));
    const expectFirst: Record<Group, Partial<RunOutcome>> = {
      healthy: { status: 'posted' },
      revoked: { status: 'failed', notified: true },
      archived: { status: 'failed', notified: false },
      flaky: { status: 'retry-scheduled' },
    };
    for (const { ref, group } of workspaces) {
      expect({ team: ref.teamId, group, outcome: statusByTeam.get(ref.teamId) }).toMatchObject({
        team: ref.teamId,
        group,
        outcome: expectFirst[group],
      });
    }

    h.clock.advance(60_000);
    const second = await scheduler.tick();
    expect(second.runs.map((run) => run.outcome.status)).toEqual(Array(flaky.size).fill('posted'));

    // A restarted replica (no memory of these runs) finds nothing due: every digest is due next week.
    h.clock.advance(60_000);
    expect((await h.newScheduler().tick()).runs).toEqual([]);
    expect(await h.store.due.take(DIGEST_QUEUE, new Date('2026-11-30T07:59:59Z'), WORKSPACES, 1)).toEqual([]);
    expect(await h.store.due.size(DIGEST_QUEUE)).toBe(WORKSPACES);

    for (const { channelId, group } of workspaces) {
      const digests = h.digestsIn(channelId).length;
      const notices = h.noticesIn(channelId).length;
      expect({ channelId, group, digests, notices }).toEqual({
        channelId,
        group,
        digests: group === 'healthy' || group === 'flaky' ? 1 : 0,
        notices: group === 'revoked' ? 1 : 0,
      });
    }
    expect(h.log.text()).toContain('"code":"slack_is_archived"');
    // 500 workspaces take about 8 s alone; a busy CI machine running other suites can need several times that.
  }, 90_000);
});
