/**
 * Properties of the connect modal's input side over arbitrary submissions: any Unicode, huge strings,
 * inputs missing or null, blocks Slack would never send. Reading the form never throws; the inline
 * errors sent back always fit Slack's rules; and the modal renders within Block Kit's limits for any
 * private metadata Slack can carry.
 */
import fc from 'fast-check';
import { connectErrors, connectModal, readConnectForm } from '../../src/blocks/connect-modal';
import { CONNECT_ACTIONS, CONNECT_BLOCKS, type ConnectField } from '../../src/blocks/ids';
import { SLACK_LIMITS } from '../../src/blocks/limits';
import { expectValidView } from './helpers';

const FIELDS = Object.keys(CONNECT_BLOCKS) as ConnectField[];

const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ minLength: 1, maxLength: 4 }).map((unit) => unit.repeat(10_000)),
  fc.constantFrom('', '   ', '\n\t', '<@U0ADAOWNER>', '&lt;!channel&gt;', ' a1b2c3d4-0000-4000-8000-123456789abc '),
);

interface SubmittedInput {
  type: string;
  value?: string | null;
}

/** An input as Slack may report it: with a value, with null, without one, or not there at all. */
const submittedInput: fc.Arbitrary<SubmittedInput | undefined> = fc.option(
  fc.oneof(
    anyText.map((value): SubmittedInput => ({ type: 'plain_text_input', value })),
    fc.constant<SubmittedInput>({ type: 'plain_text_input', value: null }),
    fc.constant<SubmittedInput>({ type: 'plain_text_input' }),
  ),
  { nil: undefined },
);

/** `view.state.values` of a submission: the four inputs (each maybe missing) plus blocks nobody asked for. */
const submittedValues = fc
  .tuple(
    fc.record({ orgId: submittedInput, apiKeyId: submittedInput, apiKey: submittedInput, label: submittedInput }),
    fc.dictionary(fc.string({ maxLength: 20 }), fc.dictionary(fc.string({ maxLength: 20 }), submittedInput)),
  )
  .map(([fields, junk]) => {
    const values: Record<string, Record<string, SubmittedInput | undefined>> = { ...junk };
    for (const field of FIELDS) {
      const input = fields[field];
      if (input !== undefined) values[CONNECT_BLOCKS[field]] = { [CONNECT_ACTIONS[field]]: input };
    }
    return { values, fields };
  });

describe('readConnectForm on arbitrary submissions', () => {
  it('never throws and reads each field trimmed, missing ones as empty, an empty label as none', () => {
    fc.assert(
      fc.property(submittedValues, ({ values, fields }) => {
        const form = readConnectForm(values);
        for (const field of ['orgId', 'apiKeyId', 'apiKey'] as const) {
          expect(form[field]).toBe(fields[field]?.value?.trim() ?? '');
        }
        const label = fields.label?.value?.trim() ?? '';
        if (label === '') expect('label' in form).toBe(false);
        else expect(form.label).toBe(label);
      }),
    );
  });
});

describe('connectErrors on arbitrary problems', () => {
  it('keys errors by the inputs’ block IDs only, drops blank ones, and keeps each within Slack’s hint limit', () => {
    const problems = fc.record(
      { orgId: anyText, apiKeyId: anyText, apiKey: anyText, label: anyText },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(problems, (given) => {
        const errors = connectErrors(given);
        const blockIds = new Set<string>(Object.values(CONNECT_BLOCKS));
        for (const [blockId, message] of Object.entries(errors)) {
          expect(blockIds.has(blockId)).toBe(true);
          expect(message.trim()).not.toBe('');
          expect(message.length).toBeLessThanOrEqual(SLACK_LIMITS.inputHint);
        }
        for (const field of FIELDS) {
          expect(CONNECT_BLOCKS[field] in errors).toBe((given[field]?.trim() ?? '') !== '');
        }
      }),
    );
  });
});

describe('connectModal with arbitrary private metadata', () => {
  it('renders within Block Kit’s limits up to 3000 characters, and refuses more without quoting it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 0, max: 6000 }), (unit, length) => {
        const metadata = unit === '' ? '' : unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
        if (metadata.length <= SLACK_LIMITS.privateMetadata) {
          const view = connectModal({ privateMetadata: metadata });
          expectValidView(view);
          expect(view.private_metadata).toBe(metadata);
        } else {
          expect(() => connectModal({ privateMetadata: metadata })).toThrow(
            `private_metadata is longer than ${SLACK_LIMITS.privateMetadata} characters`,
          );
        }
      }),
    );
  });
});
