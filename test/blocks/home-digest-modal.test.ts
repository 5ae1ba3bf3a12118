import { digestModal, readDigestForm } from '../../src/blocks/home-digest-modal';
import { DIGEST_FORM, VIEW_HOME_DIGESTS } from '../../src/blocks/ids';
import { blockText, expectValidView } from './helpers';

const row = (index: number) => ({
  channelId: `C0CHAN${String(index).padStart(4, '0')}`,
  orgLabel: 'acme',
  weekday: 'mon' as const,
  time: '09:00',
  timeZone: 'UTC',
  nextRun: new Date('2026-11-30T09:00:00Z'),
});

function inputs(view: ReturnType<typeof digestModal>) {
  const blocks = view.blocks as unknown as Record<string, unknown>[];
  return Object.fromEntries(
    blocks.filter((block) => block.type === 'input').map((block) => [block.block_id, block.element]),
  ) as Record<string, Record<string, unknown>>;
}

describe('digestModal', () => {
  it('offers every setting of the slash command, prefilled with the defaults and the user’s zone', () => {
    const view = digestModal({
      orgLabels: ['acme', 'farms'],
      orgLabel: 'farms',
      timeZone: 'Asia/Tokyo',
      schedules: [],
    });
    expectValidView(view);
    expect(view.callback_id).toBe(VIEW_HOME_DIGESTS);
    const fields = inputs(view);
    expect(Object.keys(fields)).toEqual([
      DIGEST_FORM.channel.block,
      DIGEST_FORM.org.block,
      DIGEST_FORM.weekday.block,
      DIGEST_FORM.time.block,
      DIGEST_FORM.timeZone.block,
      DIGEST_FORM.stop.block,
    ]);
    expect(fields[DIGEST_FORM.org.block]).toMatchObject({ initial_option: { value: 'farms' } });
    expect(fields[DIGEST_FORM.weekday.block]?.options).toHaveLength(7);
    expect(fields[DIGEST_FORM.weekday.block]).toMatchObject({
      initial_option: { value: 'mon', text: { text: 'Monday' } },
    });
    expect(fields[DIGEST_FORM.time.block]).toMatchObject({ initial_time: '09:00' });
    expect(fields[DIGEST_FORM.timeZone.block]).toMatchObject({ initial_value: 'Asia/Tokyo' });
    expect(fields[DIGEST_FORM.channel.block]).toMatchObject({ filter: { include: ['public', 'private'] } });
    expect(blockText(view)).toContain('No weekly digest is set up yet.');
  });

  it('lists many existing digests within Slack’s limits', () => {
    const view = digestModal({
      orgLabels: ['acme'],
      orgLabel: 'acme',
      timeZone: 'UTC',
      schedules: Array.from({ length: 200 }, (_, index) => row(index)),
    });
    expectValidView(view);
    expect(blockText(view)).toMatch(/…and \d+ more/);
  });
});

describe('readDigestForm', () => {
  it('reads what was picked, and empty inputs as absent', () => {
    expect(
      readDigestForm({
        [DIGEST_FORM.org.block]: { [DIGEST_FORM.org.action]: { selected_option: { value: 'acme' } } },
        [DIGEST_FORM.timeZone.block]: { [DIGEST_FORM.timeZone.action]: { value: 'UTC' } },
        [DIGEST_FORM.stop.block]: { [DIGEST_FORM.stop.action]: { selected_conversations: ['C0BILLING0'] } },
      }),
    ).toEqual({
      channelId: undefined,
      weekday: undefined,
      time: undefined,
      timeZone: 'UTC',
      orgLabel: 'acme',
      stopChannelIds: ['C0BILLING0'],
    });
  });
});
