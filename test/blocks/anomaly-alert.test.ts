import type { Anomaly } from '../../src/anomalies/detect';
import { decodeFeedbackTarget } from '../../src/blocks/alert-feedback';
import { anomalyHeadline, renderAnomalyAlert } from '../../src/blocks/anomaly-alert';
import { ACTION_SHOW_USAGE } from '../../src/blocks/ids';
import { LONG_NASTY } from './fixtures';
import { blockText, buttons, expectValid } from './helpers';

const spike: Anomaly = {
  key: 'line:binary_data_cloud_storage',
  kind: 'line',
  label: 'Binary data storage',
  category: 'storage',
  reason: 'spike',
  ratePerDay: 100,
  baselinePerDay: 40,
  monthEndImpact: 600,
  daily: [
    { day: '2026-11-18', amount: 40 },
    { day: '2026-11-19', amount: 40 },
    { day: '2026-11-20', amount: 100 },
  ],
};
const ctx = {
  orgLabel: 'acme',
  period: '2026-11-01T00:00:00.000Z',
  alertKey: 'anomaly:line:binary_data_cloud_storage:2026-11-20',
};

describe('renderAnomalyAlert', () => {
  it('names the line, its rate against its usual rate, the month-end impact and a sparkline', () => {
    const message = renderAnomalyAlert(spike, ctx);
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain(
      '*Binary data storage* cost *$100.00* in the last 24 hours, 150% above its usual $40.00 a day',
    );
    expect(text).toContain('adds about *$600.00* by the end of the billing period');
    expect(text).toContain('`▄▄█`');
    expect(message.text).toBe('acme: Binary data storage is costing $100.00 a day, 150% above its usual $40.00.');
  });

  it('carries Show usage and the three feedback buttons naming this alert and line', () => {
    const shown = buttons(renderAnomalyAlert(spike, ctx));
    expect(shown.map((b) => (b.text as { text: string }).text)).toEqual([
      'Show usage',
      'Expected',
      'Investigating',
      'Unexpected',
    ]);
    expect(shown[0]?.action_id).toBe(ACTION_SHOW_USAGE);
    expect(decodeFeedbackTarget(shown[1]?.value)).toEqual({
      org: 'acme',
      period: ctx.period,
      alert: ctx.alertKey,
      line: 'line:binary_data_cloud_storage',
    });
  });

  it('words a new line without a bogus percentage', () => {
    const fresh: Anomaly = {
      ...spike,
      key: 'line:data_egress',
      label: 'Data egress',
      reason: 'new',
      baselinePerDay: 0,
      ratePerDay: 45,
    };
    expect(blockText(renderAnomalyAlert(fresh, ctx))).toContain(
      '*Data egress* cost nothing in the week before and has cost *$45.00*',
    );
    expect(anomalyHeadline(fresh, 'acme')).toBe('acme: Data egress started costing $45.00 a day');
  });

  it('stays valid with a hostile label', () => {
    expectValid(renderAnomalyAlert({ ...spike, label: LONG_NASTY }, { ...ctx, orgLabel: LONG_NASTY.slice(0, 40) }));
  });
});
