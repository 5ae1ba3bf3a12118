import { Metadata, status } from '@grpc/grpc-js';
import { type RunningEmulator, startEmulator } from '../../../dev/emulator';
import type { AuthenticateRequest } from '../../../src/gen/proto/rpc/v1/auth';
import { authenticate, bearer, type Clients, call, connect, demoOrg, expectStatus, failure } from './grpc-clients';

describe('emulator AuthService.Authenticate', () => {
  let emulator: RunningEmulator;
  let clients: Clients;
  const clock = new Date('2026-11-20T12:00:00Z');

  beforeAll(async () => {
    emulator = await startEmulator({ now: () => clock, tokenTtlSeconds: 900 });
    clients = connect(emulator);
  });
  afterAll(async () => {
    clients.close();
    await emulator.stop();
  });
  beforeEach(() => emulator.knobs.reset());

  const main = () => demoOrg(emulator);
  const attempt = (request: AuthenticateRequest, metadata = new Metadata()) =>
    call(clients.auth, clients.auth.authenticate, request, metadata);

  it('trades an API key for a JWT-shaped token for that key, with exp when a TTL is set', async () => {
    const token = await authenticate(clients, main());
    const [header, payload, signature] = token.split('.');
    expect(header && payload && signature).toBeTruthy();
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const iat = clock.getTime() / 1000;
    expect(claims).toEqual({ sub: main().apiKeyId, iat, jti: expect.any(String), exp: iat + 900 });
  });

  it('accepts every key of an org, not only the first', async () => {
    const second = {
      apiKeyId: '04143b32-180e-4d56-a86a-699fd1262448',
      apiKey: 'demo-rivet-second-key-not-a-real-secret',
    };
    await expect(authenticate(clients, second)).resolves.toMatch(/\./);
  });

  it('refuses to re-authenticate a call that already carries an authorization header', async () => {
    const token = await authenticate(clients, main());
    const request = { entity: main().apiKeyId, credentials: { type: 'api-key', payload: main().apiKey } };
    expectStatus(
      await failure(attempt(request, bearer(token))),
      status.INVALID_ARGUMENT,
      'already authenticated; cannot re-authenticate',
    );
  });

  it('requires credentials', async () => {
    expectStatus(
      await failure(attempt({ entity: main().apiKeyId, credentials: undefined })),
      status.INVALID_ARGUMENT,
      'credentials required',
    );
  });

  it('names a credential type it does not handle', async () => {
    const request = { entity: main().apiKeyId, credentials: { type: 'robot-secret', payload: main().apiKey } };
    expectStatus(
      await failure(attempt(request)),
      status.INVALID_ARGUMENT,
      'do not know how to handle credential type "robot-secret"',
    );
  });

  it.each([
    ['an unknown key id', () => ({ entity: '00000000-0000-4000-8000-000000000000', payload: main().apiKey })],
    ['a wrong secret', () => ({ entity: main().apiKeyId, payload: 'demo-wrong-secret-value' })],
    ['the secret of another key', () => ({ entity: main().apiKeyId, payload: demoOrg(emulator, 1).apiKey })],
  ])('answers PERMISSION_DENIED for %s without echoing the secret', async (_case, input) => {
    const { entity, payload } = input();
    const error = await failure(attempt({ entity, credentials: { type: 'api-key', payload } }));
    expectStatus(error, status.PERMISSION_DENIED, 'failed to authenticate: invalid api key');
    expect(JSON.stringify(error)).not.toContain(payload);
  });

  it('refuses a revoked key until reset', async () => {
    emulator.knobs.revokeKey(main().apiKeyId);
    expectStatus(
      await failure(authenticate(clients, main())),
      status.PERMISSION_DENIED,
      'failed to authenticate: invalid api key',
    );
    emulator.knobs.reset();
    await expect(authenticate(clients, main())).resolves.toBeTruthy();
  });
});
