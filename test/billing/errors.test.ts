import { ViamBillingError } from '../../src/billing/errors';

describe('ViamBillingError', () => {
  it('carries a user-safe default message per kind', () => {
    const error = new ViamBillingError('unavailable');
    expect(error.message).toMatch(/could not be reached/);
    expect(error.transient).toBe(true);
    expect(new ViamBillingError('permission_denied').transient).toBe(false);
  });
});
