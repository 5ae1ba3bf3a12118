import { usd } from '../../../dev/demo/amounts';
import { DEMO_START, DemoFigures } from '../../../dev/demo/history';
import { anomalyChecks, compareChecks, digestTrendChecks } from '../../../dev/demo/history-checks';
import type { StandInMessage } from '../../../dev/slack-stand-in';
import type { AlertTickReport } from '../../../src/alerts/scheduler';

/** The tour's checks on history figures pass on the right numbers and fail on missing or wrong ones. */

const DAY_MS = 24 * 60 * 60 * 1000;
const figures = new DemoFigures();
const now = new Date(DEMO_START.getTime() + 17 * 60 * 1000);
const current = figures.subtotalAt(now);
const lastMonth = figures.subtotalAt(new Date('2026-10-26T15:17:00Z'));
const lastWeek = figures.subtotalAt(new Date(now.getTime() - 7 * DAY_MS));

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const message = (...texts: string[]) => ({ text: 'fallback', blocks: texts.map(section) });
const passed = (checks: { passed: boolean }[]) => checks.map((each) => each.passed);

describe('month over month', () => {
  it('passes when one block gives last month’s figure and the change since', () => {
    const answer = message(`+${usd(current - lastMonth)} (+31%) against ${usd(lastMonth)} at the same point`);
    expect(passed(compareChecks(answer, now, figures))).toEqual([true]);
  });

  it('fails without a comparison, or with the figures scattered over unrelated blocks', () => {
    expect(passed(compareChecks(message(`${usd(current)} so far; no comparison yet`), now, figures))).toEqual([false]);
    const scattered = message(`${usd(current)} so far, +${usd(current - lastMonth)}`, `Invoice · ${usd(lastMonth)}`);
    const [verdict] = compareChecks(scattered, now, figures);
    expect(verdict?.passed).toBe(false);
    expect(verdict?.detail).toContain('no block gives about');
  });
});

describe('a digest’s trends', () => {
  const monthBlock = `+${usd(current - lastMonth)} against ${usd(lastMonth)} at the same point last period`;

  it('passes with the week’s change and month over month', () => {
    const digest = message(`+${usd(current - lastWeek)} (+53%) since Nov 19`, monthBlock);
    expect(passed(digestTrendChecks(digest, now, figures))).toEqual([true, true]);
  });

  it('fails a first digest that has no change to give, or a wrong one', () => {
    expect(
      passed(digestTrendChecks(message('First digest: changes show from next week', monthBlock), now, figures)),
    ).toEqual([false, true]);
    const wrong = message(`+${usd(current - lastWeek + 5)} since Nov 19`);
    expect(passed(digestTrendChecks(wrong, now, figures))).toEqual([false, false]);
  });
});

describe('the anomaly alert', () => {
  const lastDay =
    figures.lineCostAt('STANDARD_COMPUTE', now) -
    figures.lineCostAt('STANDARD_COMPUTE', new Date(now.getTime() - DAY_MS));
  const posted = (ts: string) => ({
    alertId: `a-${ts}`,
    kind: 'anomaly' as const,
    outcome: { status: 'posted' as const, ts },
  });
  const report = (...alerts: ReturnType<typeof posted>[]): AlertTickReport => ({
    ran: true,
    unreadableWorkspaces: 0,
    checks: [{ ref: { teamId: 'T' }, orgId: 'o', alerts }],
  });
  const alertMessage = (ts: string, text: string): StandInMessage => ({
    channel: 'C',
    ts,
    teamId: 'T',
    user: 'U',
    botId: 'B',
    text,
    blocks: [section(text)],
    updates: 0,
  });

  it('passes one alert naming the line with its last day’s cost', () => {
    const text = `*Standard compute* cost *${usd(lastDay)}* in the last 24 hours, above its usual $1.72 a day.`;
    expect(passed(anomalyChecks(report(posted('1.1')), [alertMessage('1.1', text)], now, figures))).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('fails no alert, two alerts, another line or another amount', () => {
    expect(passed(anomalyChecks(report(), [], now, figures))).toEqual([false, false, false]);
    const text = `*Standard compute* cost *${usd(lastDay)}* in the last 24 hours.`;
    const two = anomalyChecks(report(posted('1.1'), posted('1.2')), [alertMessage('1.1', text)], now, figures);
    expect(passed(two)).toEqual([false, true, true]);
    const other = `*Binary data egress* cost *${usd(lastDay + 3)}* in the last 24 hours.`;
    expect(passed(anomalyChecks(report(posted('1.1')), [alertMessage('1.1', other)], now, figures))).toEqual([
      true,
      false,
      false,
    ]);
  });
});
