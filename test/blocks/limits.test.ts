import {
  assertWithinLimits,
  capBlocks,
  joinLinesWithin,
  limitViolations,
  SLACK_LIMITS,
  takeWithin,
  toMessage,
  trimText,
} from '../../src/blocks/limits';
import type { KnownBlock, ModalView, SlackMessage } from '../../src/blocks/message';

const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('trimText', () => {
  it('leaves short text alone', () => {
    expect(trimText('hello', 5)).toBe('hello');
  });

  it('cuts to the limit and ends with an ellipsis', () => {
    const trimmed = trimText('a'.repeat(100), 10);
    expect(trimmed).toHaveLength(10);
    expect(trimmed.endsWith('…')).toBe(true);
  });

  it('never breaks an entity', () => {
    for (let max = 4; max < 20; max++) {
      const trimmed = trimText('Tom &amp; Jerry &lt;3', max);
      expect(trimmed.length).toBeLessThanOrEqual(max);
      expect(trimmed).not.toMatch(/&(?!amp;|lt;|gt;)/);
    }
  });

  it('never breaks a link or mention', () => {
    const text = 'See <https://app.viam.com/billing|the billing page> or ask <@U012ABCDEF> today';
    for (let max = 2; max < text.length; max++) {
      const trimmed = trimText(text, max);
      expect(trimmed.length).toBeLessThanOrEqual(max);
      const opens = (trimmed.match(/</g) ?? []).length;
      const closes = (trimmed.match(/>/g) ?? []).length;
      expect(opens).toBe(closes);
    }
  });

  it('does not split an emoji made of a surrogate pair', () => {
    const trimmed = trimText(`ab${'😀'.repeat(10)}`, 6);
    expect(trimmed).toBe('ab😀…');
  });

  it('keeps angle brackets in plain text, which Slack shows literally', () => {
    expect(trimText('<Acme & Sons> robotics division', 16, 'plain')).toBe('<Acme & Sons> r…');
  });
});

describe('joinLinesWithin', () => {
  const more = (hidden: number) => `…and ${hidden} more`;

  it('joins everything that fits', () => {
    expect(joinLinesWithin(['a', 'b'], { chars: 100 }, more)).toBe('a\nb');
  });

  it('replaces what does not fit by a count', () => {
    const lines = Array.from({ length: 100 }, (_, index) => `line ${index}`);
    const joined = joinLinesWithin(lines, { chars: 60 }, more);
    expect(joined.length).toBeLessThanOrEqual(60);
    const kept = joined.split('\n');
    const hidden = Number(/…and (\d+) more$/.exec(joined)?.[1]);
    expect(kept.length - 1 + hidden).toBe(100);
  });

  it('respects a line limit, counting the "more" line', () => {
    const joined = joinLinesWithin(['a', 'b', 'c', 'd', 'e'], { chars: 1000, lines: 3 }, more);
    expect(joined).toBe('a\nb\n…and 3 more');
  });
});

describe('takeWithin', () => {
  it('keeps everything when there is room', () => {
    expect(takeWithin([1, 2, 3], 3)).toEqual({ shown: [1, 2, 3], hidden: 0 });
  });

  it('keeps one slot for the "more" line when cutting', () => {
    expect(takeWithin([1, 2, 3, 4], 3)).toEqual({ shown: [1, 2], hidden: 2 });
    expect(takeWithin([1, 2], 0)).toEqual({ shown: [], hidden: 2 });
  });
});

describe('capBlocks and toMessage', () => {
  it('cuts a message with too many blocks and says how many are missing', () => {
    const blocks = Array.from({ length: 80 }, (_, index) => section(`block ${index}`));
    const capped = capBlocks(blocks);
    expect(capped).toHaveLength(SLACK_LIMITS.messageBlocks);
    expect(JSON.stringify(capped.at(-1))).toContain('…and 31 more blocks not shown.');
  });

  it('trims the fallback text', () => {
    const message = toMessage('x'.repeat(10_000), [section('hi')]);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
  });
});

describe('limitViolations', () => {
  const message = (blocks: KnownBlock[], text = 'Fallback text'): SlackMessage => ({ text, blocks });

  it('accepts a well-formed message', () => {
    const ok = message([
      { type: 'header', text: { type: 'plain_text', text: 'Title <&>' } },
      section('Ask <@U012ABCDEF> or see <https://app.viam.com/billing?a=1&amp;b=2|billing> &amp; more'),
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'small print' }] },
      { type: 'divider' },
    ]);
    expect(limitViolations(ok)).toEqual([]);
    expect(() => assertWithinLimits(ok)).not.toThrow();
  });

  it('finds every broken limit', () => {
    const bad = message(
      [
        { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } },
        section('s'.repeat(3001)),
        { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn' as const, text: 'f' })) },
        {
          type: 'actions',
          block_id: 'same',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'b'.repeat(76) },
              action_id: 'a',
              value: 'v'.repeat(2001),
            },
            { type: 'button', text: { type: 'plain_text', text: 'ok' }, action_id: 'a' },
          ],
        },
        { type: 'context', block_id: 'same', elements: [] },
        section(''),
      ],
      '',
    );
    const problems = limitViolations(bad).join('\n');
    expect(problems).toContain('blocks[0].text: 151 chars > 150');
    expect(problems).toContain('blocks[1].text: 3001 chars > 3000');
    expect(problems).toContain('blocks[2]: 11 fields');
    expect(problems).toContain('blocks[3].elements[0].text: 76 chars > 75');
    expect(problems).toContain('blocks[3].elements[0].value: 2001 chars > 2000');
    expect(problems).toContain('blocks[3]: action_id repeated within the block');
    expect(problems).toContain('blocks[4]: block_id repeated');
    expect(problems).toContain('blocks[4]: 0 context elements');
    expect(problems).toContain('blocks[5].text: empty text');
    expect(problems).toContain('text: empty text');
    expect(() => assertWithinLimits(bad)).toThrow(/Slack limits broken/);
  });

  it('counts blocks against the message limit', () => {
    const blocks = Array.from({ length: 51 }, () => section('x'));
    expect(limitViolations(message(blocks))).toContain('51 blocks > 50');
  });

  it('catches text that was not escaped', () => {
    expect(limitViolations(message([section('Acme & Sons')]))[0]).toContain('unescaped "&"');
    expect(limitViolations(message([section('<Acme>')]))[0]).toContain('is not a Slack link or mention');
    expect(limitViolations(message([section('a > b')]))[0]).toContain('unescaped "<" or ">"');
    expect(limitViolations(message([section('ok')], 'Acme <b>'))[0]).toContain('text:');
  });

  it('checks modal views against their own limits', () => {
    const view: ModalView = {
      type: 'modal',
      title: { type: 'plain_text', text: 'A title that is far too long' },
      private_metadata: 'm'.repeat(3001),
      blocks: [
        {
          type: 'input',
          label: { type: 'plain_text', text: 'Label' },
          element: {
            type: 'plain_text_input',
            action_id: 'x',
            placeholder: { type: 'plain_text', text: 'p'.repeat(151) },
          },
        },
        ...Array.from({ length: 100 }, () => section('x')),
      ],
    };
    const problems = limitViolations(view).join('\n');
    expect(problems).toContain('101 blocks > 100');
    expect(problems).toContain('title: 28 chars > 24');
    expect(problems).toContain('private_metadata: 3001 chars > 3000');
    expect(problems).toContain('inputs without a submit');
    expect(problems).toContain('placeholder: 151 chars > 150');
  });
});
