import type { DigestFormValues } from '../../src/blocks/home-digest-modal';
import type { DigestSchedule } from '../../src/digest/schedules';
import { checkDigestForm } from '../../src/home/digest-form';
import type { Workspace } from '../../src/store';

const workspace: Workspace = {
  ref: { teamId: 'T1' },
  orgs: [
    { label: 'acme', orgId: 'o-1', apiKeyId: 'k-1', connectedBy: 'U0ADA', connectedAt: '2026-11-01T00:00:00.000Z' },
    { label: 'Farms', orgId: 'o-2', apiKeyId: 'k-2', connectedBy: 'U0ADA', connectedAt: '2026-11-01T00:00:00.000Z' },
  ],
  viewers: [],
  preferences: { currency: 'USD' },
  updatedAt: '2026-11-01T00:00:00.000Z',
};

const existing: DigestSchedule[] = [
  {
    channelId: 'C0BILLING0',
    orgLabel: 'acme',
    weekday: 'mon',
    time: '09:00',
    timeZone: 'UTC',
    createdBy: 'U0ADA',
    createdAt: '2026-11-01T00:00:00.000Z',
  },
];

const form = (values: Partial<DigestFormValues>): DigestFormValues => ({
  weekday: 'thu',
  time: '07:45',
  timeZone: 'asia/tokyo',
  orgLabel: 'farms',
  stopChannelIds: [],
  ...values,
});

describe('checkDigestForm', () => {
  it('reads a schedule for a channel, with the zone and the org label as stored', () => {
    expect(checkDigestForm(form({ channelId: 'G0FINANCE0' }), workspace, existing)).toEqual({
      ok: true,
      change: {
        set: { channelId: 'G0FINANCE0', orgLabel: 'Farms', weekday: 'thu', time: '07:45', timeZone: 'Asia/Tokyo' },
        stop: [],
      },
    });
  });

  it('reads channels to stop, each once, ignoring the schedule fields when no channel is set', () => {
    const check = checkDigestForm(
      form({ stopChannelIds: ['C0BILLING0', 'C0BILLING0'], timeZone: 'nowhere', weekday: undefined }),
      workspace,
      existing,
    );
    expect(check).toEqual({ ok: true, change: { stop: ['C0BILLING0'] } });
  });

  it('wants a channel to set or to stop', () => {
    expect(checkDigestForm(form({}), workspace, existing)).toEqual({
      ok: false,
      problems: { channel: 'Pick a channel for the digest, or at least one channel whose digest should stop.' },
    });
  });

  it('puts each problem on its own field', () => {
    const check = checkDigestForm(
      form({ channelId: 'D0DIRECT00', weekday: 'someday', time: '25:00', timeZone: '', orgLabel: 'gone' }),
      workspace,
      existing,
    );
    expect(check).toEqual({
      ok: false,
      problems: {
        channel: 'Pick a channel: a direct message cannot get a digest.',
        weekday: 'Pick the day of the week the digest goes out.',
        time: 'Pick the time of day the digest goes out.',
        timeZone: 'Give a time zone, such as Europe/Berlin or UTC.',
        org: 'That org is no longer connected. Pick one of the connected orgs.',
      },
    });
  });

  it('refuses a zone it does not know, and offsets that ignore daylight saving time', () => {
    for (const timeZone of ['Mars/Olympus', '+01:00']) {
      const check = checkDigestForm(form({ channelId: 'C0GENERAL0', timeZone }), workspace, existing);
      expect(check).toEqual({
        ok: false,
        problems: {
          timeZone: `"${timeZone}" is not a time zone I know. Use an IANA name such as Europe/Berlin, America/New_York or UTC.`,
        },
      });
    }
  });

  it('refuses to stop a digest that does not exist, or one being set in the same form', () => {
    expect(checkDigestForm(form({ stopChannelIds: ['C0GENERAL0'] }), workspace, existing)).toEqual({
      ok: false,
      problems: { stop: 'That channel has no weekly digest to turn off.' },
    });
    expect(
      checkDigestForm(form({ stopChannelIds: ['C0GENERAL0', 'C0RANDOM00', 'C0BILLING0'] }), workspace, existing),
    ).toEqual({ ok: false, problems: { stop: '2 of the channels picked have no weekly digest to turn off.' } });
    expect(
      checkDigestForm(form({ channelId: 'C0BILLING0', stopChannelIds: ['C0BILLING0'] }), workspace, existing),
    ).toEqual({
      ok: false,
      problems: { stop: 'The channel picked for the digest is also picked to turn off: pick it in one place only.' },
    });
  });
});
