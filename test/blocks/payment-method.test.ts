import { describePaymentMethod, paymentMethodMrkdwn } from '../../src/blocks/payment-method';

describe('describePaymentMethod', () => {
  it('names the card brand and its last four digits', () => {
    expect(describePaymentMethod({ kind: 'card', brand: 'visa', lastFour: '4242' })).toEqual({
      text: 'Visa ending in 4242',
      warning: false,
    });
    expect(describePaymentMethod({ kind: 'card', brand: 'amex', lastFour: '0005' }).text).toBe(
      'American Express ending in 0005',
    );
    expect(describePaymentMethod({ kind: 'card', brand: 'new_brand', lastFour: '' }).text).toBe('New Brand');
    expect(describePaymentMethod({ kind: 'card', brand: '', lastFour: '1234' }).text).toBe('Card ending in 1234');
  });

  it('never shows more than four digits', () => {
    expect(describePaymentMethod({ kind: 'card', brand: 'visa', lastFour: '4111111111111111' }).text).toBe(
      'Visa ending in 1111',
    );
  });

  it('describes a verified bank account without a warning', () => {
    const line = describePaymentMethod({
      kind: 'bank_account',
      bankName: 'Chase',
      lastFour: '6789',
      accountType: 'Checking',
    });
    expect(line).toEqual({ text: 'Chase checking account ending in 6789', warning: false });
  });

  it('warns about an unverified bank account and links only a safe https address', () => {
    const base = { kind: 'bank_account' as const, bankName: 'A&B <Bank>', lastFour: '6789', accountType: 'savings' };
    const safe = describePaymentMethod({ ...base, verificationUrl: 'https://verify.example.com/x?a=1&b=2' });
    expect(safe.warning).toBe(true);
    expect(safe.text).toBe(
      'A&amp;B &lt;Bank&gt; savings account ending in 6789 needs verification before Viam can charge it.',
    );
    expect(safe.verifyLink).toBe('<https://verify.example.com/x?a=1&amp;b=2|Verify the account>');
    expect(paymentMethodMrkdwn(safe)).toBe(`:warning: ${safe.text} ${safe.verifyLink}`);

    for (const verificationUrl of [
      'javascript:alert(1)',
      'http://plain.example.com',
      'https://x.example.com/a|b',
      '',
    ]) {
      const line = describePaymentMethod({ ...base, verificationUrl });
      expect(line.warning).toBe(true);
      expect(line.verifyLink).toBeUndefined();
    }
  });

  it('warns when there is no payment method', () => {
    const line = describePaymentMethod({ kind: 'none' });
    expect(paymentMethodMrkdwn(line)).toBe(':warning: No payment method on file.');
  });
});
