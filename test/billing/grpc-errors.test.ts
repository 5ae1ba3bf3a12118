import { Metadata, type ServiceError, status } from '@grpc/grpc-js';
import { ViamBillingError } from '../../src/billing/errors';
import {
  billingErrorFromStatus,
  isServiceError,
  kindForStatus,
  tlsFailureMessage,
  toBillingError,
} from '../../src/billing/grpc-errors';

function serviceError(code: status, details: string): ServiceError {
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata: new Metadata() });
}

describe('gRPC status to error kind', () => {
  it.each([
    [status.UNAUTHENTICATED, 'unauthenticated'],
    [status.PERMISSION_DENIED, 'permission_denied'],
    [status.NOT_FOUND, 'not_found'],
    [status.INVALID_ARGUMENT, 'invalid_argument'],
    [status.UNAVAILABLE, 'unavailable'],
    [status.DEADLINE_EXCEEDED, 'deadline_exceeded'],
    [status.RESOURCE_EXHAUSTED, 'internal'],
    [status.INTERNAL, 'internal'],
    [status.UNKNOWN, 'internal'],
    [status.CANCELLED, 'internal'],
    [status.UNIMPLEMENTED, 'internal'],
  ])('code %i is %s', (code, kind) => {
    expect(kindForStatus(code)).toBe(kind);
  });

  it('calls RESOURCE_EXHAUSTED about message size too_large', () => {
    expect(kindForStatus(status.RESOURCE_EXHAUSTED, 'Received message larger than max (40000000 vs 33554432)')).toBe(
      'too_large',
    );
  });

  it('turns a rejected Authenticate into unauthenticated, whatever the code', () => {
    const denied = billingErrorFromStatus(serviceError(status.PERMISSION_DENIED, 'failed to authenticate'), {
      phase: 'authenticate',
    });
    expect(denied).toMatchObject({ kind: 'unauthenticated', grpcCode: status.PERMISSION_DENIED });
    const billing = billingErrorFromStatus(serviceError(status.PERMISSION_DENIED, 'no'), { phase: 'billing' });
    expect(billing.kind).toBe('permission_denied');
  });

  it('keeps the server text out of the user message', () => {
    const error = toBillingError(serviceError(status.INTERNAL, 'stack trace at db.go:42'), { phase: 'billing' });
    expect(error.message).not.toContain('db.go');
    expect(toBillingError(new TypeError('boom'), { phase: 'billing' })).toMatchObject({ kind: 'internal' });
    const existing = new ViamBillingError('too_large');
    expect(toBillingError(existing, { phase: 'billing' })).toBe(existing);
    expect(isServiceError(new Error('plain'))).toBe(false);
  });

  it.each([
    ['No connection established. Last error: Error: certificate has expired', /has expired or is not valid yet/],
    ['Last error: Error: unable to verify the first certificate', /not from a CA this machine trusts/],
    ['Last error: Error: self-signed certificate in certificate chain', /not from a CA this machine trusts/],
    ['Last error: Error: unable to get local issuer certificate', /not from a CA this machine trusts/],
    ["Hostname/IP does not match certificate's altnames: Host: x. is not in the cert's altnames", /another host name/],
  ])('names a failed TLS handshake (%s) with its own sentence', (details, sentence) => {
    const error = billingErrorFromStatus(serviceError(status.UNAVAILABLE, details), { phase: 'authenticate' });
    expect(error).toMatchObject({ kind: 'tls', message: expect.stringMatching(sentence) });
    expect(error.transient).toBe(false);
  });

  it('leaves other unavailability alone', () => {
    expect(
      tlsFailureMessage('No connection established. Last error: connect ECONNREFUSED 127.0.0.1:1'),
    ).toBeUndefined();
    expect(kindForStatus(status.UNAVAILABLE, 'Connection dropped')).toBe('unavailable');
  });
});
