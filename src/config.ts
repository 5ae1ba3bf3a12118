import { z } from 'zod';
import { isSafeForSecrets, PLAINTEXT_ONLY_ON_LOOPBACK } from './billing/endpoint';
import { type ProxySettings, ProxySettingsError, proxySecrets, readProxySettings } from './network/proxy-settings';
import { DEFAULT_REVOKED_RETENTION_DAYS } from './slack/revocations';
import { SHARED_KEY_REQUIRED } from './store/key-check';
import { parseStoreUrl } from './store/store-url';

/**
 * Environment to typed configuration. Every problem is reported as one line naming the variable
 * and what to do, never with the variable's value (most of them are secrets).
 */

export type SlackMode = 'socket' | 'http';

export interface AppConfig {
  slack: {
    mode: SlackMode;
    /** The one workspace's bot token; absent in OAuth mode, where each install brings its own. */
    botToken?: string;
    appToken?: string;
    signingSecret?: string;
    /** Override of Slack's Web API base (tests, the demo, proxies). */
    apiUrl?: string;
    /** Set when SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET are: any workspace can install the app. */
    oauth?: OAuthConfig;
  };
  port: number;
  viam: {
    appUrl: string;
    /** When all three VIAM_* credentials are set, the bot token's workspace starts connected to this org. */
    bootstrapOrg?: { orgId: string; apiKeyId: string; apiKey: string };
  };
  store: { url?: string; dataDir: string; encryptionKey?: string; previousKeys?: string };
  logLevel: LogLevel;
  digest: {
    /** How late a missed weekly digest is still posted (marked late) after downtime. */
    graceHours: number;
    /** Seconds between checks for due digests (DIGEST_CHECK_INTERVAL_SECONDS); a divisor of 60. */
    checkIntervalSeconds: number;
    /** Whether each digest is followed by its spend chart (DIGEST_CHARTS); about 50 ms of CPU per chart. */
    charts: boolean;
  };
  alerts: {
    /** Minutes between budget and invoice alert checks (ALERT_CHECK_INTERVAL_MINUTES); a divisor of 60. */
    checkIntervalMinutes: number;
  };
  /** HTTPS_PROXY, HTTP_PROXY and NO_PROXY (upper or lower case), for every outbound connection. */
  proxy: ProxySettings;
  /**
   * Threads that answer `/viam-usage` while the main thread only reads and acks (ANSWER_THREADS): a
   * number, or `auto` (one when the machine has two cores or more).
   */
  answerThreads: number | 'auto';
  /** OAuth mode: days a workspace whose bot token was revoked keeps its settings before they are purged (REVOKED_RETENTION_DAYS). */
  revokedRetentionDays: number;
}

export interface OAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the OAuth `state` so a redirect is only accepted from the browser that started the install. */
  stateSecret: string;
  /** SLACK_REDIRECT_URI when Slack must send installers back to a URL other than the app's settings default. */
  redirectUri?: string;
  /** The path the redirect arrives on: SLACK_REDIRECT_URI's path, else Bolt's `/slack/oauth_redirect`. */
  redirectUriPath: string;
  /** Where an installer starts: Bolt's `/slack/install`. */
  installPath: string;
}

export const DEFAULT_INSTALL_PATH = '/slack/install';
export const DEFAULT_REDIRECT_URI_PATH = '/slack/oauth_redirect';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const README_SETUP = 'see "Connect your workspace" in the README';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

function prefixed(prefix: string, what: string) {
  return optionalText.refine((value) => value === undefined || value.startsWith(prefix), {
    message: `must be ${what} starting with "${prefix}"`,
  });
}

const httpUrl = optionalText.refine(
  (value) => {
    if (value === undefined) return true;
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  { message: 'must be an http:// or https:// URL' },
);

/** An http(s) URL that secrets are sent to: plaintext is refused for any host but this machine. */
const secretCarryingUrl = httpUrl.refine(
  (value) => {
    // Malformed URLs and other schemes are the first check's to report, once.
    if (value === undefined || !URL.canParse(value)) return true;
    const url = new URL(value);
    return (url.protocol !== 'http:' && url.protocol !== 'https:') || isSafeForSecrets(url);
  },
  { message: PLAINTEXT_ONLY_ON_LOOPBACK },
);

const port = optionalText.refine(
  (value) => value === undefined || (/^\d{1,5}$/.test(value) && Number(value) <= 65535),
  {
    message: 'must be a port number from 0 to 65535',
  },
);

const base64Key = optionalText.refine(
  (value) =>
    value === undefined || (/^[A-Za-z0-9+/]+={0,2}$/.test(value) && Buffer.from(value, 'base64').length === 32),
  { message: 'must be 32 bytes in base64; make one with `openssl rand -base64 32`' },
);

const base64KeyList = optionalText.refine(
  (value) =>
    value === undefined ||
    value
      .split(/[\s,]+/)
      .filter((part) => part !== '')
      .every((part) => /^[A-Za-z0-9+/]+={0,2}$/.test(part) && Buffer.from(part, 'base64').length === 32),
  { message: 'must be 32-byte base64 keys separated by commas (the keys ENCRYPTION_KEY replaced)' },
);

const uuid = optionalText.refine(
  (value) => value === undefined || /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value),
  { message: 'must be a UUID such as 1a2b3c4d-0000-4000-8000-123456789abc' },
);

const envSchema = z.object({
  SLACK_BOT_TOKEN: prefixed('xoxb-', 'a bot token'),
  SLACK_APP_TOKEN: prefixed('xapp-', 'an app-level token'),
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_API_URL: secretCarryingUrl,
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  SLACK_REDIRECT_URI: httpUrl,
  PORT: port,
  VIAM_APP_URL: secretCarryingUrl,
  VIAM_ORG_ID: uuid,
  VIAM_API_KEY_ID: uuid,
  VIAM_API_KEY: optionalText,
  STORE_URL: optionalText,
  DATA_DIR: optionalText,
  ENCRYPTION_KEY: base64Key,
  ENCRYPTION_KEY_PREVIOUS: base64KeyList,
  DIGEST_CHECK_INTERVAL_SECONDS: optionalText.refine(
    (value) => value === undefined || (/^\d{1,2}$/.test(value) && Number(value) > 0 && 60 % Number(value) === 0),
    { message: 'must be a number of seconds that divides 60 (1, 2, 5, 10, 15, 30 or 60)' },
  ),
  ALERT_CHECK_INTERVAL_MINUTES: optionalText.refine(
    (value) => value === undefined || (/^\d{1,2}$/.test(value) && Number(value) > 0 && 60 % Number(value) === 0),
    { message: 'must be a number of minutes that divides 60 (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30 or 60)' },
  ),
  DIGEST_CHARTS: optionalText.refine((value) => value === undefined || ['on', 'off'].includes(value), {
    message: 'must be on or off',
  }),
  DIGEST_GRACE_HOURS: optionalText.refine(
    (value) => value === undefined || (/^\d{1,3}$/.test(value) && Number(value) >= 1 && Number(value) <= 167),
    { message: 'must be a whole number of hours from 1 to 167' },
  ),
  REVOKED_RETENTION_DAYS: optionalText.refine(
    (value) => value === undefined || (/^\d{1,4}$/.test(value) && Number(value) >= 1 && Number(value) <= 3650),
    { message: 'must be a whole number of days from 1 to 3650' },
  ),
  ANSWER_THREADS: optionalText.refine(
    (value) => value === undefined || value === 'auto' || (/^\d{1,2}$/.test(value) && Number(value) <= 16),
    { message: 'must be auto or a whole number of threads from 0 to 16' },
  ),
  LOG_LEVEL: optionalText.refine((value) => value === undefined || (LOG_LEVELS as readonly string[]).includes(value), {
    message: `must be one of ${LOG_LEVELS.join(', ')}`,
  }),
});

type Env = z.infer<typeof envSchema>;

/** Parses the environment; throws ConfigError listing every problem, one line each. */
export function loadConfig(env: NodeJS.ProcessEnv): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}.`));
  }
  const values = parsed.data;
  const oauth = oauthSettings(values);
  const proxy = proxySettingsOf(env);
  const problems = [
    ...(oauth.problems ?? [...missingSlackSettings(values), ...partialViamCredentials(values)]),
    ...missingSharedKey(values),
    ...proxy.problems,
  ];
  if (problems.length > 0 || !proxy.settings) throw new ConfigError(problems);

  const mode: SlackMode = values.SLACK_APP_TOKEN ? 'socket' : 'http';
  return {
    slack: {
      mode,
      botToken: values.SLACK_BOT_TOKEN,
      appToken: values.SLACK_APP_TOKEN,
      signingSecret: values.SLACK_SIGNING_SECRET,
      apiUrl: values.SLACK_API_URL,
      ...(oauth.config ? { oauth: oauth.config } : {}),
    },
    port: values.PORT === undefined ? 3000 : Number(values.PORT),
    viam: {
      appUrl: values.VIAM_APP_URL ?? 'https://app.viam.com:443',
      bootstrapOrg:
        values.VIAM_ORG_ID && values.VIAM_API_KEY_ID && values.VIAM_API_KEY
          ? { orgId: values.VIAM_ORG_ID, apiKeyId: values.VIAM_API_KEY_ID, apiKey: values.VIAM_API_KEY }
          : undefined,
    },
    store: {
      url: values.STORE_URL,
      dataDir: values.DATA_DIR ?? './data',
      encryptionKey: values.ENCRYPTION_KEY,
      previousKeys: values.ENCRYPTION_KEY_PREVIOUS,
    },
    logLevel: (values.LOG_LEVEL as LogLevel | undefined) ?? 'info',
    digest: {
      graceHours: values.DIGEST_GRACE_HOURS === undefined ? 24 : Number(values.DIGEST_GRACE_HOURS),
      checkIntervalSeconds:
        values.DIGEST_CHECK_INTERVAL_SECONDS === undefined ? 60 : Number(values.DIGEST_CHECK_INTERVAL_SECONDS),
      charts: values.DIGEST_CHARTS !== 'off',
    },
    alerts: {
      checkIntervalMinutes:
        values.ALERT_CHECK_INTERVAL_MINUTES === undefined ? 60 : Number(values.ALERT_CHECK_INTERVAL_MINUTES),
    },
    proxy: proxy.settings,
    answerThreads:
      values.ANSWER_THREADS === undefined || values.ANSWER_THREADS === 'auto' ? 'auto' : Number(values.ANSWER_THREADS),
    revokedRetentionDays:
      values.REVOKED_RETENTION_DAYS === undefined
        ? DEFAULT_REVOKED_RETENTION_DAYS
        : Number(values.REVOKED_RETENTION_DAYS),
  };
}

function missingSlackSettings(values: Env): string[] {
  const problems: string[] = [];
  if (!values.SLACK_BOT_TOKEN) {
    problems.push(`SLACK_BOT_TOKEN is missing: set it to the app's Bot User OAuth Token (xoxb-…); ${README_SETUP}.`);
  }
  if (!values.SLACK_APP_TOKEN && !values.SLACK_SIGNING_SECRET) {
    problems.push(
      `SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is missing: set SLACK_APP_TOKEN (xapp-…) for Socket Mode, or SLACK_SIGNING_SECRET to serve HTTP; ${README_SETUP}.`,
    );
  }
  return problems;
}

/**
 * Replicas share a Redis or PostgreSQL store, and a generated key file would differ on each of them:
 * such a store needs one ENCRYPTION_KEY given to all. A STORE_URL that does not parse is reported
 * when the store opens, with the accepted forms.
 */
function missingSharedKey(values: Env): string[] {
  if (values.ENCRYPTION_KEY) return [];
  let kind: string;
  try {
    kind = parseStoreUrl(values.STORE_URL).kind;
  } catch {
    return [];
  }
  return kind === 'sqlite' ? [] : [SHARED_KEY_REQUIRED];
}

function partialViamCredentials(values: Env): string[] {
  const names = ['VIAM_ORG_ID', 'VIAM_API_KEY_ID', 'VIAM_API_KEY'] as const;
  const missing = names.filter((name) => !values[name]);
  if (missing.length === 0 || missing.length === names.length) return [];
  return [
    `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing: set all three of ${names.join(', ')} to connect an org at start, or none of them.`,
  ];
}

const OAUTH_NAMES = ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET'] as const;
const README_OAUTH = 'see "Several workspaces (OAuth)" in the README';

/**
 * OAuth mode when all three OAuth variables are set. It replaces the single-token settings, so what
 * they would require (a bot token) is not asked for, and what only makes sense for one workspace is
 * refused: `problems` is undefined when OAuth is off, and then the single-token checks apply.
 */
function oauthSettings(values: Env): { config?: OAuthConfig; problems?: string[] } {
  const missing = OAUTH_NAMES.filter((name) => !values[name]);
  if (missing.length === OAUTH_NAMES.length) return {};
  if (missing.length > 0) {
    return {
      problems: [
        `${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} missing: set all three of ${OAUTH_NAMES.join(', ')} to let several workspaces install the app, or none of them; ${README_OAUTH}.`,
        ...partialViamCredentials(values),
      ],
    };
  }
  const problems: string[] = [];
  if (values.SLACK_APP_TOKEN) {
    problems.push(
      `SLACK_APP_TOKEN cannot be used with OAuth installs: this app serves installs over HTTP only; remove SLACK_APP_TOKEN and set SLACK_SIGNING_SECRET; ${README_OAUTH}.`,
    );
  } else if (!values.SLACK_SIGNING_SECRET) {
    problems.push(
      `SLACK_SIGNING_SECRET is missing: OAuth installs are served over HTTP, which needs the app's Signing Secret; ${README_OAUTH}.`,
    );
  }
  if (values.SLACK_BOT_TOKEN) {
    problems.push(
      `SLACK_BOT_TOKEN cannot be used with OAuth installs: each workspace's token comes from its install; remove SLACK_BOT_TOKEN; ${README_OAUTH}.`,
    );
  }
  if (values.VIAM_ORG_ID || values.VIAM_API_KEY_ID || values.VIAM_API_KEY) {
    problems.push(
      `VIAM_ORG_ID, VIAM_API_KEY_ID and VIAM_API_KEY cannot be used with OAuth installs: there is no single workspace to connect that org to; remove them and connect orgs with \`/viam-usage connect\` in each workspace.`,
    );
  }
  if (problems.length > 0) return { problems };
  const redirectUri = values.SLACK_REDIRECT_URI;
  return {
    config: {
      clientId: values.SLACK_CLIENT_ID as string,
      clientSecret: values.SLACK_CLIENT_SECRET as string,
      stateSecret: values.SLACK_STATE_SECRET as string,
      ...(redirectUri ? { redirectUri } : {}),
      redirectUriPath: redirectUri ? new URL(redirectUri).pathname : DEFAULT_REDIRECT_URI_PATH,
      installPath: DEFAULT_INSTALL_PATH,
    },
    problems: [],
  };
}

/** Every secret value in the configuration, for the logger to mask wherever it appears. */
export function configSecrets(config: AppConfig): string[] {
  const storePassword = (() => {
    if (!config.store.url || !URL.canParse(config.store.url)) return undefined;
    const password = new URL(config.store.url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  })();
  return [
    config.slack.botToken,
    config.slack.appToken,
    config.slack.signingSecret,
    config.slack.oauth?.clientSecret,
    config.slack.oauth?.stateSecret,
    config.viam.bootstrapOrg?.apiKey,
    config.store.encryptionKey,
    ...(config.store.previousKeys ?? '').split(/[\s,]+/),
    storePassword,
    ...proxySecrets(config.proxy),
  ].filter((secret): secret is string => secret !== undefined && secret !== '');
}

function proxySettingsOf(env: NodeJS.ProcessEnv): { settings?: ProxySettings; problems: string[] } {
  try {
    return { settings: readProxySettings(env), problems: [] };
  } catch (error) {
    if (error instanceof ProxySettingsError) return { problems: error.problems };
    throw error;
  }
}
