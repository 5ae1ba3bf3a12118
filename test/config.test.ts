import { ConfigError, loadConfig } from '../src/config';
import { SHARED_KEY_REQUIRED } from '../src/store/key-check';

const KEY = Buffer.alloc(32, 7).toString('base64');
const base = { SLACK_BOT_TOKEN: 'xoxb-test-config', SLACK_APP_TOKEN: 'xapp-test-config' };

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('chooses Socket Mode when an app token is set, with sensible defaults', () => {
    const config = loadConfig(base);
    expect(config.slack.mode).toBe('socket');
    expect(config.port).toBe(3000);
    expect(config.viam.appUrl).toBe('https://app.viam.com:443');
    expect(config.store.dataDir).toBe('./data');
    expect(config.logLevel).toBe('info');
    expect(config.viam.bootstrapOrg).toBeUndefined();
    expect(config.digest.graceHours).toBe(24);
    expect(config.alerts.checkIntervalMinutes).toBe(60);
  });

  it('chooses HTTP mode with a signing secret and reads every optional variable', () => {
    const config = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_SIGNING_SECRET: 'shh',
      PORT: '8080',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      VIAM_APP_URL: 'http://127.0.0.1:8081',
      STORE_URL: 'redis://127.0.0.1:6379',
      ENCRYPTION_KEY: KEY,
      LOG_LEVEL: 'debug',
      VIAM_ORG_ID: 'a1b2c3d4-0000-4000-8000-000000000001',
      VIAM_API_KEY_ID: 'a1b2c3d4-0000-4000-8000-000000000002',
      VIAM_API_KEY: 'secret-value',
    });
    expect(config.slack).toMatchObject({ mode: 'http', signingSecret: 'shh', apiUrl: 'http://127.0.0.1:9999/api/' });
    expect(config.port).toBe(8080);
    expect(config.store).toMatchObject({ url: 'redis://127.0.0.1:6379', encryptionKey: KEY });
    expect(config.viam.bootstrapOrg?.orgId).toBe('a1b2c3d4-0000-4000-8000-000000000001');
  });

  it('names every missing Slack variable and points to the README', () => {
    const problems = problemsOf({});
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^SLACK_BOT_TOKEN is missing/);
    expect(problems[1]).toMatch(/SLACK_APP_TOKEN or SLACK_SIGNING_SECRET/);
    expect(problems.every((line) => line.includes('README'))).toBe(true);
  });

  it('names malformed variables without echoing their values', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token-value',
      SLACK_APP_TOKEN: 'xapp-1',
      PORT: 'eighty',
      ENCRYPTION_KEY: 'too-short',
      LOG_LEVEL: 'loud',
      VIAM_APP_URL: 'ftp://x',
    });
    expect(problems.map((line) => line.split(' ')[0])).toEqual([
      'SLACK_BOT_TOKEN',
      'PORT',
      'VIAM_APP_URL',
      'ENCRYPTION_KEY',
      'LOG_LEVEL',
    ]);
    expect(problems.join('\n')).not.toContain('xoxp-user-token-value');
    expect(problems.join('\n')).not.toContain('too-short');
  });

  it('refuses plaintext URLs for Viam and the Slack API unless they name this machine', () => {
    const problems = problemsOf({
      ...base,
      VIAM_APP_URL: 'http://viam.internal.example:8080',
      SLACK_API_URL: 'http://10.1.2.3/api/',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^SLACK_API_URL .*plaintext http:\/\/ only for this machine .*use https:\/\/ for any other host/,
      ),
      expect.stringMatching(
        /^VIAM_APP_URL .*plaintext http:\/\/ only for this machine .*use https:\/\/ for any other host/,
      ),
    ]);
    expect(problems.join('\n')).not.toContain('viam.internal.example');
    for (const local of ['http://localhost:8081', 'http://127.0.0.2:8081', 'http://[::1]:8081']) {
      expect(loadConfig({ ...base, VIAM_APP_URL: local, SLACK_API_URL: `${local}/api/` }).viam.appUrl).toBe(local);
    }
    expect(loadConfig({ ...base, VIAM_APP_URL: 'https://viam.internal.example:8443' }).viam.appUrl).toBe(
      'https://viam.internal.example:8443',
    );
  });

  it('reads ENCRYPTION_KEY_PREVIOUS as a list of keys, and names a bad one without its value', () => {
    const previous = `${Buffer.alloc(32, 1).toString('base64')}, ${Buffer.alloc(32, 2).toString('base64')}`;
    expect(loadConfig({ ...base, ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: previous }).store.previousKeys).toBe(
      previous,
    );
    const problems = problemsOf({ ...base, ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: 'old-key-typo' });
    expect(problems).toEqual([expect.stringMatching(/^ENCRYPTION_KEY_PREVIOUS must be 32-byte base64 keys/)]);
    expect(problems.join('\n')).not.toContain('old-key-typo');
  });

  it('reads REVOKED_RETENTION_DAYS, 30 by default, and refuses a value that is not whole days', () => {
    expect(loadConfig(base).revokedRetentionDays).toBe(30);
    expect(loadConfig({ ...base, REVOKED_RETENTION_DAYS: '90' }).revokedRetentionDays).toBe(90);
    for (const bad of ['0', '2.5', 'forever', '99999']) {
      expect(problemsOf({ ...base, REVOKED_RETENTION_DAYS: bad })).toEqual([
        'REVOKED_RETENTION_DAYS must be a whole number of days from 1 to 3650.',
      ]);
    }
  });

  it('reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY in either case, and refuses a bad proxy URL without echoing it', () => {
    expect(loadConfig(base).proxy.httpsProxy).toBeUndefined();
    const proxied = loadConfig({ ...base, https_proxy: 'http://proxy.corp:3128', NO_PROXY: 'localhost' }).proxy;
    expect(proxied.httpsProxy?.href).toBe('http://proxy.corp:3128/');
    expect(proxied.noProxy.matches('localhost', 8080)).toBe(true);
    const problems = problemsOf({ ...base, HTTPS_PROXY: 'socks5://user:hunter2@proxy.corp:1080' });
    expect(problems).toEqual([expect.stringMatching(/^HTTPS_PROXY must be an http:\/\/ proxy URL, not socks5:\/\//)]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('requires the three VIAM_* credentials together', () => {
    const problems = problemsOf({ ...base, VIAM_ORG_ID: 'a1b2c3d4-0000-4000-8000-000000000001' });
    expect(problems).toEqual([expect.stringMatching(/^VIAM_API_KEY_ID and VIAM_API_KEY are missing/)]);
    expect(problemsOf({ ...base, VIAM_ORG_ID: 'acme' })[0]).toMatch(/^VIAM_ORG_ID must be a UUID/);
  });

  it('reads the digest grace window in hours, within a week', () => {
    expect(loadConfig({ ...base, DIGEST_GRACE_HOURS: '6' }).digest.graceHours).toBe(6);
    expect(problemsOf({ ...base, DIGEST_GRACE_HOURS: '168' })).toEqual([
      expect.stringMatching(/^DIGEST_GRACE_HOURS must be/),
    ]);
    expect(problemsOf({ ...base, DIGEST_GRACE_HOURS: '0' })).toHaveLength(1);
  });

  it('reads the alert check interval in minutes dividing 60', () => {
    expect(loadConfig({ ...base, ALERT_CHECK_INTERVAL_MINUTES: '15' }).alerts.checkIntervalMinutes).toBe(15);
    expect(loadConfig({ ...base, ALERT_CHECK_INTERVAL_MINUTES: '60' }).alerts.checkIntervalMinutes).toBe(60);
    for (const bad of ['7', '0', '90', 'hourly', '-5', '1.5']) {
      expect(problemsOf({ ...base, ALERT_CHECK_INTERVAL_MINUTES: bad })).toEqual([
        expect.stringMatching(/^ALERT_CHECK_INTERVAL_MINUTES must be a number of minutes that divides 60/),
      ]);
    }
  });

  it('follows digests with their chart unless DIGEST_CHARTS is off', () => {
    expect(loadConfig(base).digest.charts).toBe(true);
    expect(loadConfig({ ...base, DIGEST_CHARTS: 'on' }).digest.charts).toBe(true);
    expect(loadConfig({ ...base, DIGEST_CHARTS: 'off' }).digest.charts).toBe(false);
    expect(problemsOf({ ...base, DIGEST_CHARTS: 'no' })).toEqual([
      expect.stringMatching(/^DIGEST_CHARTS must be on or off/),
    ]);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ ...base, PORT: '', STORE_URL: '  ' }).store.url).toBeUndefined();
  });
});

describe('loadConfig in OAuth mode', () => {
  const oauth = {
    SLACK_CLIENT_ID: '1000.2000',
    SLACK_CLIENT_SECRET: 'client-secret-value',
    SLACK_STATE_SECRET: 'state-secret-value',
    SLACK_SIGNING_SECRET: 'shh',
  };

  it('turns on when all three OAuth variables are set, without a bot token, with Bolt’s paths', () => {
    const config = loadConfig(oauth);
    expect(config.slack.mode).toBe('http');
    expect(config.slack.botToken).toBeUndefined();
    expect(config.slack.oauth).toEqual({
      clientId: '1000.2000',
      clientSecret: 'client-secret-value',
      stateSecret: 'state-secret-value',
      installPath: '/slack/install',
      redirectUriPath: '/slack/oauth_redirect',
    });
  });

  it('takes the redirect path from SLACK_REDIRECT_URI', () => {
    const config = loadConfig({ ...oauth, SLACK_REDIRECT_URI: 'https://billing.example.com/oauth/done' });
    expect(config.slack.oauth).toMatchObject({
      redirectUri: 'https://billing.example.com/oauth/done',
      redirectUriPath: '/oauth/done',
    });
    expect(problemsOf({ ...oauth, SLACK_REDIRECT_URI: 'billing.example.com' })).toEqual([
      expect.stringMatching(/^SLACK_REDIRECT_URI must be an http/),
    ]);
  });

  it('names the missing ones in one line when only some OAuth variables are set, without echoing values', () => {
    const problems = problemsOf({ SLACK_CLIENT_ID: '1000.2000', SLACK_SIGNING_SECRET: 'shh' });
    expect(problems).toEqual([
      expect.stringMatching(/^SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are missing: set all three of/),
    ]);
    const one = problemsOf({ ...oauth, SLACK_STATE_SECRET: '' });
    expect(one).toEqual([expect.stringMatching(/^SLACK_STATE_SECRET is missing: set all three/)]);
    expect(one.join('\n')).not.toContain('client-secret-value');
  });

  it('refuses Socket Mode, a bot token and VIAM_* bootstrap alongside OAuth, one line each', () => {
    const problems = problemsOf({
      ...oauth,
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_BOT_TOKEN: 'xoxb-1',
      VIAM_ORG_ID: 'a1b2c3d4-0000-4000-8000-000000000001',
      VIAM_API_KEY_ID: 'a1b2c3d4-0000-4000-8000-000000000002',
      VIAM_API_KEY: 'viam-secret-value',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^SLACK_APP_TOKEN cannot be used with OAuth installs: this app serves installs over HTTP only/,
      ),
      expect.stringMatching(/^SLACK_BOT_TOKEN cannot be used with OAuth installs/),
      expect.stringMatching(/^VIAM_ORG_ID, VIAM_API_KEY_ID and VIAM_API_KEY cannot be used with OAuth installs/),
    ]);
    expect(problems.join('\n')).not.toContain('viam-secret-value');
  });

  it('needs the signing secret, since installs are served over HTTP', () => {
    const { SLACK_SIGNING_SECRET: _unused, ...withoutSecret } = oauth;
    expect(problemsOf(withoutSecret)).toEqual([
      expect.stringMatching(/^SLACK_SIGNING_SECRET is missing: OAuth installs/),
    ]);
  });
});

describe('ENCRYPTION_KEY with a shared store', () => {
  it('is required with a Redis or PostgreSQL STORE_URL, in one sentence naming it and what to do', () => {
    for (const STORE_URL of [
      'redis://127.0.0.1:6379',
      'rediss://cache.example:6380',
      'postgres://app:hunter2pass@db:5432/billing',
      'postgresql://app@db/billing',
    ]) {
      const problems = problemsOf({ ...base, STORE_URL });
      expect(problems).toEqual([SHARED_KEY_REQUIRED]);
      expect(problems[0]).toMatch(/^ENCRYPTION_KEY is missing: .*`openssl rand -base64 32`.*every replica/);
      expect(problems[0]?.split('. ')).toHaveLength(1);
      expect(problems.join('\n')).not.toContain('hunter2pass');
    }
  });

  it('is reported together with the other problems, and an empty value counts as missing', () => {
    const problems = problemsOf({ STORE_URL: 'redis://127.0.0.1:6379', ENCRYPTION_KEY: '  ' });
    expect(problems).toHaveLength(3);
    expect(problems[2]).toBe(SHARED_KEY_REQUIRED);
  });

  it('is accepted when set, and stays optional with SQLite (a generated key file)', () => {
    expect(loadConfig({ ...base, STORE_URL: 'postgres://app@db/billing', ENCRYPTION_KEY: KEY }).store).toMatchObject({
      url: 'postgres://app@db/billing',
      encryptionKey: KEY,
    });
    expect(loadConfig(base).store.encryptionKey).toBeUndefined();
    expect(
      loadConfig({ ...base, STORE_URL: 'sqlite:///var/lib/app/store.sqlite' }).store.encryptionKey,
    ).toBeUndefined();
  });

  it('leaves a STORE_URL it cannot read to the store, which names the accepted forms', () => {
    expect(() => loadConfig({ ...base, STORE_URL: 'mysql://db/billing' })).not.toThrow();
  });
});
