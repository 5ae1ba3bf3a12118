import { loadFixture } from '../../../dev/emulator/fixture';
import { billedPeriod, billingInfoResponse, invoicesResponse, usageResponse } from '../../../dev/emulator/org-data';

describe('org data as of the clock', () => {
  const [main, second] = loadFixture().orgs;
  if (!main || !second) throw new Error('default fixture needs two orgs');

  it('follows the clock across a year boundary', () => {
    const now = new Date('2027-01-01T00:30:00Z');
    const usage = usageResponse(main, now);
    expect(usage.startDate).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(usage.endDate).toEqual(new Date('2027-01-31T23:59:59.999Z'));
    const { invoices } = invoicesResponse(main, now);
    expect(invoices[0]?.invoiceDate).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(invoices[11]?.invoiceDate).toEqual(new Date('2026-02-01T00:00:00Z'));
  });

  it('never dates payments or failures after the clock', () => {
    const now = new Date('2027-01-01T00:30:00Z');
    const { invoices } = invoicesResponse(main, now);
    // The fixture says the card was declined two hours after the invoice; only 30 minutes have passed.
    expect(invoices[0]?.lastPaymentFailureAt).toEqual(now);
    for (const invoice of invoices) {
      for (const date of [invoice.paidDate, invoice.lastPaymentFailureAt]) {
        if (date) expect(date.getTime()).toBeLessThanOrEqual(now.getTime());
      }
    }
  });

  it('counts outstanding, overdue and processing invoices as unpaid, but not paid or free ones', () => {
    const { invoices, outstandingBalance } = invoicesResponse(second, new Date('2026-11-20T00:00:00Z'));
    expect(invoices.at(-1)).toMatchObject({ status: 'free', invoiceAmount: 0, paidDate: undefined });
    expect(outstandingBalance).toBe(259.35);
  });

  it('dates the bank verification arrival from the start of the current UTC day', () => {
    const info = billingInfoResponse(second, new Date('2026-11-20T23:59:00Z'));
    expect(info.methodUsBankAccount?.verificationInfo?.arrivalDate).toBe(Date.parse('2026-11-22T00:00:00Z') / 1000);
  });

  it('gives the month an invoice bills', () => {
    expect(billedPeriod(new Date('2026-03-01T00:00:00Z'))).toEqual({
      start: new Date('2026-02-01T00:00:00Z'),
      end: new Date('2026-02-28T23:59:59.999Z'),
    });
  });
});
