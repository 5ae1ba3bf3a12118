import { isSecretFieldName, REDACTED, SecretMask } from '../../src/logging/mask';

describe('isSecretFieldName', () => {
  it.each([
    'token',
    'refreshToken',
    'refresh_token',
    'Authorization',
    'proxy-authorization',
    'clientSecret',
    'signingSecret',
    'sealedKey',
    'apiKey',
    'viamApiKey',
    'password',
    'x-slack-signature',
    'Cookie',
    'payload',
  ])('treats %s as secret', (name) => {
    expect(isSecretFieldName(name)).toBe(true);
  });

  it.each(['apiKeyId', 'orgId', 'tokenExpiresAt', 'team', 'message', 'keyCount', 'requestId'])(
    'leaves %s readable',
    (name) => {
      expect(isSecretFieldName(name)).toBe(false);
    },
  );
});

describe('SecretMask', () => {
  it('masks known values wherever they occur, longest first, and ignores values too short to be secrets', () => {
    const mask = new SecretMask(['abcdefgh', 'abcdefgh-longer', 'short', undefined, '']);
    expect(mask.text('a abcdefgh-longer b abcdefgh c short')).toBe(`a ${REDACTED} b ${REDACTED} c short`);
  });

  it('adds values with `with` and leaves the original mask as it was', () => {
    const base = new SecretMask(['first-secret']);
    const more = base.with(['second-secret']);
    expect(more.text('first-secret second-secret')).toBe(`${REDACTED} ${REDACTED}`);
    expect(base.text('second-secret')).toBe('second-secret');
  });

  it('does not change the value it masks', () => {
    const original = { nested: { token: 'xoxb-123456-abcdef' }, list: ['Bearer abcdefghij'] };
    const masked = new SecretMask().value(original) as typeof original;
    expect(masked.nested.token).toBe(REDACTED);
    expect(masked.list[0]).toBe(`Bearer ${REDACTED}`);
    expect(original.nested.token).toBe('xoxb-123456-abcdef');
  });

  it('shows binary data by size only', () => {
    expect(new SecretMask().value({ body: Buffer.from('xoxb-123456-abcdef') })).toEqual({ body: '[18 bytes]' });
  });
});
