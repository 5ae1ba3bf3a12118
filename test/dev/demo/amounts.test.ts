import { dollarAmounts, hasAmountNear, mentionsAmount, usd } from '../../../dev/demo/amounts';

describe('dollar amounts in a message', () => {
  it('reads amounts however they are signed or grouped, as magnitudes', () => {
    expect(dollarAmounts('+$69.31 (+31%) against $220.92, -$9.00 and −$1,234.5; $7 flat')).toEqual([
      69.31, 220.92, 9, 1234.5, 7,
    ]);
    expect(dollarAmounts('31% and 12 USD')).toEqual([]);
  });

  it('prints amounts the way the app does', () => {
    expect(usd(1234.5)).toBe('$1,234.50');
    expect(usd(-9)).toBe('$9.00');
  });

  it('finds an amount within the tolerance, and says what it found when it does not', () => {
    expect(hasAmountNear('cost $32.00 today', 31.6, 0.5)).toBe(true);
    expect(hasAmountNear('cost $32.00 today', -32, 0)).toBe(true);
    expect(hasAmountNear('cost $32.00 today', 31, 0.5)).toBe(false);
    expect(mentionsAmount('about $31', 'cost $32.00 and $4.10', 31, 0.5)).toEqual({
      expectation: 'about $31',
      passed: false,
      detail: 'expected about $31.00; found $32.00, $4.10',
    });
    expect(mentionsAmount('about $31', undefined, 31, 0.5).detail).toBe('nothing arrived');
    expect(mentionsAmount('about $32', 'cost $32.00', 32, 0)).toEqual({ expectation: 'about $32', passed: true });
  });
});
