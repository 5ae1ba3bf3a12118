import { renderBillingInfo } from '../../src/blocks/billing';
import { cardBilling, ctx, LONG_NASTY, noPaymentMethodBilling, unverifiedBankBilling } from './fixtures';
import { blockText, expectValid } from './helpers';

describe('renderBillingInfo', () => {
  it('shows the payment method, billing email and tier', () => {
    const message = renderBillingInfo(cardBilling, ctx);
    expectValid(message);
    expect(message).toMatchSnapshot();
    const text = blockText(message);
    expect(text).toContain('Billing info · Acme Robotics');
    expect(text).toContain('*Payment method*\nVisa ending in 4242');
    expect(text).toContain('*Billing email*\nbilling@acme.example');
    expect(text).toContain('*Tier*\nEnterprise');
    expect(message.text).toBe(
      'Viam billing info for Acme Robotics. Payment method: Visa ending in 4242. Billing email: billing@acme.example. Tier: Enterprise.',
    );
  });

  it('warns about an unverified bank account and leaves out a missing tier', () => {
    const message = renderBillingInfo(unverifiedBankBilling, ctx);
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain(':warning: First Robotics Bank checking account ending in 6789 needs verification');
    expect(text).toContain('|Verify the account>');
    expect(text).not.toContain('Tier');
  });

  it('says when there is no payment method or billing email', () => {
    const message = renderBillingInfo(noPaymentMethodBilling, ctx);
    expectValid(message);
    const text = blockText(message);
    expect(text).toContain('*Payment method*\n:warning: No payment method on file.');
    expect(text).toContain('*Billing email*\nNot set');
    expect(message.text).toContain('No payment method on file. No billing email is set.');
  });

  it('escapes hostile email, tier and label text', () => {
    const message = renderBillingInfo(
      { ...cardBilling, billingEmail: 'a<b>&c@example.com', tier: LONG_NASTY },
      { ...ctx, orgLabel: LONG_NASTY },
    );
    expectValid(message);
    expect(blockText(message)).toContain('*Billing email*\na&lt;b&gt;&amp;c@example.com');
    expect(blockText(message)).toContain('*Tier*\n&lt;Acme &amp; Sons&gt;');
  });
});
