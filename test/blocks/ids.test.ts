import {
  ACTION_SHARE_INVOICE_PDF,
  ACTION_SHOW_BILLING,
  ACTION_SHOW_INVOICES,
  ACTION_SHOW_USAGE,
  CONNECT_ACTIONS,
  CONNECT_BLOCKS,
  decodeButtonValue,
  encodeButtonValue,
  VIEW_CONNECT_ORG,
} from '../../src/blocks/ids';

describe('ids', () => {
  it('are distinct and within Slack’s 255-character limit', () => {
    const ids = [
      ACTION_SHARE_INVOICE_PDF,
      ACTION_SHOW_BILLING,
      ACTION_SHOW_INVOICES,
      ACTION_SHOW_USAGE,
      VIEW_CONNECT_ORG,
      ...Object.values(CONNECT_BLOCKS),
    ];
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(Object.values(CONNECT_ACTIONS)).size).toBe(Object.values(CONNECT_ACTIONS).length);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(255);
  });
});

describe('button values', () => {
  it('round-trip an org and an invoice', () => {
    const encoded = encodeButtonValue({ org: 'acme <&> "labs"', invoice: 'in_123' });
    expect(encoded).toBe('{"org":"acme <&> \\"labs\\"","invoice":"in_123"}');
    expect(decodeButtonValue(encoded)).toEqual({ org: 'acme <&> "labs"', invoice: 'in_123' });
    expect(decodeButtonValue(encodeButtonValue({ org: 'acme' }))).toEqual({ org: 'acme' });
  });

  it('refuse to encode a value longer than Slack allows', () => {
    // `{"org":""}` is 10 characters, so a 1990-character label is exactly at the limit.
    expect(encodeButtonValue({ org: 'x'.repeat(1990) })).toHaveLength(2000);
    expect(encodeButtonValue({ org: 'x'.repeat(1991) })).toBeUndefined();
  });

  it.each([
    ['not JSON', 'acme'],
    ['a JSON string', '"acme"'],
    ['null', 'null'],
    ['an array', '["acme"]'],
    ['no org', '{"invoice":"in_1"}'],
    ['an empty org', '{"org":""}'],
    ['a number org', '{"org":5}'],
    ['an empty invoice', '{"org":"acme","invoice":""}'],
    ['an extra key', '{"org":"acme","admin":true}'],
    ['too long', JSON.stringify({ org: 'x'.repeat(2001) })],
  ])('decode %s to undefined', (_name, raw) => {
    expect(decodeButtonValue(raw)).toBeUndefined();
  });

  it('decode non-strings to undefined', () => {
    expect(decodeButtonValue(undefined)).toBeUndefined();
    expect(decodeButtonValue({ org: 'acme' })).toBeUndefined();
  });
});
