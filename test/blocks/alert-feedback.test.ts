import {
  BLOCK_ALERT_FEEDBACK,
  choiceOfActionId,
  decodeFeedbackTarget,
  feedbackActionId,
  feedbackButtons,
  withFeedback,
} from '../../src/blocks/alert-feedback';
import { section } from '../../src/blocks/build';
import { toMessage } from '../../src/blocks/limits';
import { expectValid } from './helpers';

const target = {
  org: 'acme',
  period: '2026-11-01T00:00:00.000Z',
  alert: 'anomaly:line:egress:2026-11-26',
  line: 'line:egress',
};

describe('feedback buttons', () => {
  it('carry the alert in their value and the choice in their action ID', () => {
    const block = feedbackButtons(target) as {
      block_id: string;
      elements: { action_id: string; value: string; text: { text: string } }[];
    };
    expect(block.block_id).toBe(BLOCK_ALERT_FEEDBACK);
    expect(block.elements.map((element) => element.text.text)).toEqual(['Expected', 'Investigating', 'Unexpected']);
    for (const element of block.elements) {
      expect(decodeFeedbackTarget(element.value)).toEqual(target);
      expect(choiceOfActionId(element.action_id)).toBeDefined();
    }
    expect(choiceOfActionId(feedbackActionId('expected'))).toBe('expected');
  });

  it('refuse values and action IDs that are not ours', () => {
    expect(choiceOfActionId('viam_usage.alert_feedback.maybe')).toBeUndefined();
    expect(choiceOfActionId('other.expected')).toBeUndefined();
    expect(decodeFeedbackTarget('{"org":"acme"}')).toBeUndefined();
    expect(decodeFeedbackTarget('not json')).toBeUndefined();
    expect(decodeFeedbackTarget(JSON.stringify({ ...target, extra: 1 }))).toBeUndefined();
    expect(decodeFeedbackTarget(42)).toBeUndefined();
  });
});

describe('withFeedback', () => {
  const alert = [section('*Data egress* is spending $45.00 a day'), feedbackButtons(target)];

  it('adds who chose what under the buttons, once per person, latest answer winning', () => {
    const blocks = withFeedback(alert, [
      { alert: target.alert, line: target.line, choice: 'investigating', userId: 'U1', at: '2026-11-26T15:04:00.000Z' },
      { alert: target.alert, line: target.line, choice: 'unexpected', userId: 'U2', at: '2026-11-26T15:05:00.000Z' },
      { alert: target.alert, line: target.line, choice: 'expected', userId: 'U1', at: '2026-11-26T15:06:00.000Z' },
    ]);
    expect(blocks).toHaveLength(3);
    const log = JSON.stringify(blocks[2]);
    expect(log).toContain(
      ':white_check_mark: Expected (line muted until the period ends) — <@U1> at <!date^1795705560^{time} {date_short}|2026-11-26 15:06 UTC>',
    );
    expect(log).toContain(':rotating_light: Unexpected — <@U2>');
    expect(log).not.toContain('Investigating');
    expectValid(toMessage('Data egress is spending $45.00 a day', blocks));
  });

  it('replaces an earlier answers line instead of stacking them', () => {
    const once = withFeedback(alert, [
      { alert: target.alert, choice: 'investigating', userId: 'U1', at: '2026-11-26T15:04:00.000Z' },
    ]);
    const twice = withFeedback(once, [
      { alert: target.alert, choice: 'unexpected', userId: 'U1', at: '2026-11-26T15:08:00.000Z' },
    ]);
    expect(twice).toHaveLength(3);
    expect(JSON.stringify(twice)).not.toContain('Investigating —');
  });
});
