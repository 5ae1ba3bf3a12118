import { ViamBillingError } from '../../src/billing/errors';
import { isUuid, validateApiKey, validateInvoiceId, validateOrgId } from '../../src/billing/validate';

const KEY_ID = '02a54480-750f-4016-96d8-49fa1834e5d2';

function errorOf(run: () => unknown): ViamBillingError {
  try {
    run();
  } catch (error) {
    if (error instanceof ViamBillingError) return error;
    throw error;
  }
  throw new Error('expected a ViamBillingError');
}

describe('validate', () => {
  it('accepts UUIDs in either case and nothing else', () => {
    expect(isUuid('bb51faf9-edae-49a7-9d27-42b2ba8b7144')).toBe(true);
    expect(isUuid('BB51FAF9-EDAE-49A7-9D27-42B2BA8B7144')).toBe(true);
    for (const bad of ['', 'acme', 'bb51faf9edae49a79d2742b2ba8b7144', '{bb51faf9-edae-49a7-9d27-42b2ba8b7144}', 7]) {
      expect(isUuid(bad)).toBe(false);
    }
  });

  it('names the org ID field and its form', () => {
    expect(validateOrgId('bb51faf9-edae-49a7-9d27-42b2ba8b7144')).toBe('bb51faf9-edae-49a7-9d27-42b2ba8b7144');
    const error = errorOf(() => validateOrgId('my-org'));
    expect(error.kind).toBe('invalid_argument');
    expect(error.message).toMatch(/^The organization ID must be a UUID/);
  });

  it('checks the key ID and the secret without ever echoing the secret', () => {
    expect(validateApiKey({ id: KEY_ID, key: 'abcdefgh12345678' })).toEqual({ id: KEY_ID, key: 'abcdefgh12345678' });
    expect(errorOf(() => validateApiKey({ id: 'key', key: 'abcdefgh12345678' })).message).toMatch(/API key ID/);
    expect(errorOf(() => validateApiKey(undefined)).message).toMatch(/required/);
    for (const secret of [
      '',
      'short',
      'has whitespace inside',
      'tab\tinside-secret',
      'é-not-ascii-secret',
      'x'.repeat(513),
    ]) {
      const error = errorOf(() => validateApiKey({ id: KEY_ID, key: secret }));
      expect(error.kind).toBe('invalid_argument');
      expect(error.message).toMatch(/The API key must be 8 to 512 characters with no spaces/);
      if (secret !== '') expect(error.message).not.toContain(secret);
    }
  });

  it('accepts Stripe-style invoice IDs up to 128 characters', () => {
    expect(validateInvoiceId('in_1Q5dwGLzZ8juh4cDOAY1alln')).toBe('in_1Q5dwGLzZ8juh4cDOAY1alln');
    expect(validateInvoiceId('a'.repeat(128))).toHaveLength(128);
    for (const bad of ['', 'a'.repeat(129), 'in 1', '../x', 'in_1?x=1', undefined]) {
      expect(errorOf(() => validateInvoiceId(bad)).message).toMatch(/^The invoice ID must be 1 to 128 letters/);
    }
  });
});
