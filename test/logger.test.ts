import { Metadata } from '@grpc/grpc-js';
import { configSecrets, loadConfig } from '../src/config';
import { createLogger } from '../src/logger';

/** One value of every kind of secret the app holds; none may reach a log line. */
const SECRETS = {
  botToken: 'xoxb-1111-2222-botTokenValue',
  userToken: 'xoxp-3333-4444-userTokenValue',
  refreshToken: 'xoxe-1-refreshTokenValue-5555',
  appToken: 'xapp-1-A0001-appTokenValue',
  signingSecret: 'signing-secret-value-8f3a',
  clientSecret: 'client-secret-value-77c1',
  stateSecret: 'state-secret-value-19ab',
  encryptionKey: Buffer.alloc(32, 9).toString('base64'),
  viamApiKey: 'viamApiKeySecretValue0123456789ab',
  sealedKey: 'v1.0a1b2c3d.aXYtdmFsdWU.dGFnLXZhbHVl.Y2lwaGVydGV4dC12YWx1ZQ',
  storePassword: 'store-pass-value-6d0f',
  proxyPassword: 'proxy-pass-value-4e2b',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcmcifQ.c2lnbmF0dXJlLXZhbHVl',
};

function capture(secrets: Iterable<string> = []) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', secrets }, { write: (line: string) => lines.push(line) });
  return { logger, text: () => lines.join('\n'), lines };
}

function expectNoSecret(text: string): void {
  for (const [kind, value] of Object.entries(SECRETS)) {
    if (text.includes(value)) throw new Error(`the ${kind} reached the log:\n${text}`);
  }
}

describe('createLogger', () => {
  const oneWorkspace = {
    SLACK_BOT_TOKEN: SECRETS.botToken,
    SLACK_SIGNING_SECRET: SECRETS.signingSecret,
    ENCRYPTION_KEY: SECRETS.encryptionKey,
    VIAM_ORG_ID: '1a2b3c4d-0000-4000-8000-123456789abc',
    VIAM_API_KEY_ID: '1a2b3c4d-0000-4000-8000-123456789abd',
    VIAM_API_KEY: SECRETS.viamApiKey,
    STORE_URL: `postgres://app:${SECRETS.storePassword}@db.internal:5432/billing`,
    HTTPS_PROXY: `http://svc-billing:${SECRETS.proxyPassword}@proxy.corp:3128`,
  };
  const oauth = {
    SLACK_SIGNING_SECRET: SECRETS.signingSecret,
    SLACK_CLIENT_ID: '1.2',
    SLACK_CLIENT_SECRET: SECRETS.clientSecret,
    SLACK_STATE_SECRET: SECRETS.stateSecret,
    ENCRYPTION_KEY: SECRETS.encryptionKey,
    STORE_URL: `postgres://app:${SECRETS.storePassword}@db.internal:5432/billing`,
  };
  const allConfigured = () => [...configSecrets(loadConfig(oneWorkspace)), ...configSecrets(loadConfig(oauth))];

  it('finds every configured secret value to mask', () => {
    const secrets = allConfigured();
    for (const value of [
      SECRETS.botToken,
      SECRETS.signingSecret,
      SECRETS.clientSecret,
      SECRETS.stateSecret,
      SECRETS.encryptionKey,
      SECRETS.viamApiKey,
      SECRETS.storePassword,
      SECRETS.proxyPassword,
    ]) {
      expect(secrets).toContain(value);
    }
  });

  it('masks every kind of secret at any depth: objects, arrays, Maps, gRPC metadata, errors and their causes', () => {
    const { logger, text, lines } = capture(allConfigured());
    const metadata = new Metadata();
    metadata.set('authorization', `Bearer ${SECRETS.jwt}`);
    const root = new Error(`Viam refused key ${SECRETS.viamApiKey} with token ${SECRETS.jwt}`);
    const middle = new Error(`the Slack call with ${SECRETS.botToken} failed`, { cause: root });
    Object.assign(middle, {
      code: 'slack_webapi_platform_error',
      config: { headers: { Authorization: `Bearer ${SECRETS.userToken}` }, data: `token=${SECRETS.userToken}` },
    });
    const top = new Error('could not refresh the installation', { cause: middle });

    logger.error(
      {
        err: top,
        request: {
          deep: { deeper: { deepest: { body: { refresh_token: SECRETS.refreshToken, clientSecret: 'x' } } } },
          headers: [{ name: 'Authorization', value: 'ignored' }, { Authorization: `Bearer ${SECRETS.jwt}` }],
          metadata,
        },
        install: new Map<string, unknown>([
          ['appToken', SECRETS.appToken],
          ['note', `sealed as ${SECRETS.sealedKey}`],
        ]),
        record: { sealedKey: SECRETS.sealedKey, org: { apiKey: { id: 'k', key: SECRETS.viamApiKey } } },
        failures: new AggregateError([new Error(`state ${SECRETS.stateSecret}`)], 'two failed'),
        store: `postgres://app:${SECRETS.storePassword}@db.internal:5432/billing`,
        proxy: `http://svc-billing:${SECRETS.proxyPassword}@proxy.corp:3128`,
      },
      `while using ${SECRETS.encryptionKey} and ${SECRETS.signingSecret}`,
    );
    logger.warn(new Error(`refused ${SECRETS.clientSecret}`));
    logger.child({ token: SECRETS.botToken, nested: { appToken: SECRETS.appToken } }).info({}, 'child line');

    expect(lines).toHaveLength(3);
    expectNoSecret(text());
    const [first, second, third] = lines.map((line) => JSON.parse(line));
    // What is not secret still reads as before: the error chain, its code, the message around the secrets.
    expect(first.err.message).toBe('could not refresh the installation');
    expect(first.err.cause.code).toBe('slack_webapi_platform_error');
    expect(first.err.cause.message).toBe('the Slack call with [redacted] failed');
    expect(first.err.cause.cause.message).toBe('Viam refused key [redacted] with token [redacted]');
    expect(first.err.cause.config.headers.Authorization).toBe('[redacted]');
    expect(first.request.deep.deeper.deepest.body.refresh_token).toBe('[redacted]');
    expect(first.record.org.apiKey).toBe('[redacted]');
    expect(first.msg).toBe('while using [redacted] and [redacted]');
    expect(first.store).toBe('postgres://app:[redacted]@db.internal:5432/billing');
    expect(first.proxy).toBe('http://svc-billing:[redacted]@proxy.corp:3128');
    expect(second.msg).toBe('refused [redacted]');
    expect(second.err.type).toBe('Error');
    expect(third.token).toBe('[redacted]');
    expect(third.nested.appToken).toBe('[redacted]');
  });

  it('masks Slack tokens, bearer credentials and JWTs it was never told about', () => {
    const { logger, text } = capture();
    logger.info(
      { event: { text: `leaked ${SECRETS.userToken} and ${SECRETS.refreshToken}`, auth: `Bearer ${SECRETS.jwt}` } },
      `${SECRETS.appToken} ${SECRETS.jwt}`,
    );
    expectNoSecret(text());
  });

  it('survives cycles and very deep objects', () => {
    const { logger, lines } = capture();
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { token: SECRETS.botToken };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    logger.info({ cyclic, deep }, 'odd shapes');
    const line = JSON.parse(lines[0] as string);
    expect(line.cyclic.self).toBe('[circular]');
    expect(JSON.stringify(line)).toContain('[nested too deep]');
    expectNoSecret(lines.join('\n'));
  });
});
