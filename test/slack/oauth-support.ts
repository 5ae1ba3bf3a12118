/**
 * Helpers for tests of OAuth mode: the local stack started with OAuth variables (no bot token, no
 * VIAM_* org), a browser's walk through /slack/install and /slack/oauth_redirect, requests from a
 * given team, and raw reads of the backend the app's store writes to.
 */
import { randomBytes } from 'node:crypto';
import type { LocalStack, LocalStackOptions } from '../../dev/local-stack';
import {
  DEFAULT_APP,
  type PendingInstall,
  type SignedResponse,
  sendEvent,
  sendSlashCommand,
  sendViewSubmission,
} from '../../dev/slack-stand-in';
import { VIEW_CONNECT_ORG } from '../../src/blocks/ids';
import { BACKENDS, type BackendUnderTest, type RawBackend } from '../store/support';
import { connectValues } from '../support/stack';

export const STATE_SECRET = 'oauth-test-state-secret-not-real';
/** The store's key prefix when no namespace is given (src/store/keyv.ts). */
const STORE_NAMESPACE = 'viam-billing';

/** Every backend these tests run on: SQLite always, Redis and PostgreSQL when REDIS_URL / DATABASE_URL are set. */
export function oauthBackends(): Array<{ backend: BackendUnderTest; storeUrl?: string }> {
  const urls: Record<string, string | undefined> = {
    sqlite: undefined,
    redis: process.env.REDIS_URL,
    postgres: process.env.DATABASE_URL,
  };
  return BACKENDS.map((backend) => ({ backend, storeUrl: urls[backend.name] }));
}

export function describeOAuthBackends(title: string, body: (backend: BackendUnderTest, storeUrl?: string) => void) {
  for (const { backend, storeUrl } of oauthBackends()) {
    if (backend.skipReason) {
      console.warn(`Skipping "${title}" on ${backend.name}: ${backend.skipReason}.`);
      describe.skip(`${title} (${backend.name})`, () => body(backend, storeUrl));
    } else {
      describe(`${title} (${backend.name})`, () => body(backend, storeUrl));
    }
  }
}

/** Local stack options for OAuth mode: client credentials instead of a bot token, no org from the environment. */
export function oauthStackOptions(storeUrl: string | undefined, extra: LocalStackOptions = {}): LocalStackOptions {
  return {
    ...extra,
    connectDemoOrg: false,
    env: {
      SLACK_BOT_TOKEN: '',
      SLACK_CLIENT_ID: DEFAULT_APP.clientId,
      SLACK_CLIENT_SECRET: DEFAULT_APP.clientSecret,
      SLACK_STATE_SECRET: STATE_SECRET,
      ...(storeUrl ? { STORE_URL: storeUrl } : {}),
      ...extra.env,
    },
  };
}

/** A team ID no earlier run left data under (Redis and PostgreSQL outlive a test run). */
export function freshTeamId(): string {
  return `T${randomBytes(5).toString('hex').toUpperCase()}`;
}

export function freshUserId(): string {
  return `U${randomBytes(5).toString('hex').toUpperCase()}`;
}

export interface InstallStart {
  status: number;
  /** Where the browser is sent: Slack's consent page. */
  location: URL;
  /** The state in the consent URL, and the cookie that carries the same state. */
  state: string;
  cookie: string;
}

/** Where installs are driven: the local stack, or one app process of a replica test and its stand-in. */
export type InstallTarget = Pick<LocalStack, 'appUrl' | 'slack'>;

/** GET /slack/install as a browser does, without following the redirect. */
export async function startInstall(stack: InstallTarget): Promise<InstallStart> {
  const response = await fetch(`${stack.appUrl}/slack/install`, { redirect: 'manual' });
  const location = new URL(response.headers.get('location') ?? 'about:blank');
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0] ?? '';
  return { status: response.status, location, state: location.searchParams.get('state') ?? '', cookie };
}

/** GET /slack/oauth_redirect as Slack sends the browser back; `query` and `cookie` as given. */
export async function finishInstall(
  stack: InstallTarget,
  query: Record<string, string>,
  cookie?: string,
): Promise<{ status: number; body: string }> {
  const url = `${stack.appUrl}/slack/oauth_redirect?${new URLSearchParams(query).toString()}`;
  const response = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: response.status, body: await response.text() };
}

export interface InstalledTeam {
  teamId: string;
  installer: string;
  /** A channel with the installer and the bot in it. */
  channel: string;
  botToken: string;
}

/**
 * The whole install of a new team: the app's install page, Slack's approval (a stand-in code for
 * that team), the redirect back. Resolves once the app answered the redirect with its success page.
 */
export async function installTeam(stack: InstallTarget, install: PendingInstall = {}): Promise<InstalledTeam> {
  const teamId = install.teamId ?? freshTeamId();
  const installer = install.installerUserId ?? freshUserId();
  const started = await startInstall(stack);
  const code = stack.slack.issueOAuthCode({
    teamName: `Team ${teamId}`,
    ...install,
    teamId,
    installerUserId: installer,
  });
  const finished = await finishInstall(stack, { code, state: started.state }, started.cookie);
  if (finished.status !== 200) throw new Error(`install of ${teamId} failed with HTTP ${finished.status}`);
  const team = stack.slack.workspace.team(teamId);
  if (!team) throw new Error(`the stand-in has no team ${teamId}`);
  const existing = stack.slack.workspace.channelsOf(teamId).find((channel) => channel.name === 'billing');
  const channel =
    existing ?? stack.slack.workspace.addChannel(teamId, { name: 'billing', members: [installer], botIsMember: true });
  return { teamId, installer, channel: channel.id, botToken: team.botToken };
}

/** A slash command from a user of `team`; its answers arrive on the returned response URL. */
export async function commandFrom(
  stack: InstallTarget,
  team: InstalledTeam,
  text: string,
): Promise<{ ack: SignedResponse; responseUrl: string }> {
  const responseUrl = stack.slack.responseUrl();
  const ack = await sendSlashCommand({
    appUrl: stack.appUrl,
    signingSecret: stack.slack.app.signingSecret,
    team: team.teamId,
    user: team.installer,
    channel: team.channel,
    text,
    responseUrl,
    triggerId: stack.slack.triggerId(),
  });
  return { ack, responseUrl };
}

/** Connects an emulator org to `team` through the connect modal's submission. */
export async function connectOrg(stack: LocalStack, team: InstalledTeam, orgIndex = 0): Promise<SignedResponse> {
  const org = stack.emulator.orgs[orgIndex];
  if (!org) throw new Error(`the emulator fixture has no org ${orgIndex}`);
  const ack = await sendViewSubmission({
    appUrl: stack.appUrl,
    signingSecret: stack.slack.app.signingSecret,
    team: team.teamId,
    user: team.installer,
    callbackId: VIEW_CONNECT_ORG,
    values: connectValues({ orgId: org.orgId, apiKeyId: org.apiKeyId, apiKey: org.apiKey, label: 'acme' }),
    privateMetadata: JSON.stringify({ channelId: team.channel }),
  });
  // The audit entry is written after the ack.
  await settle(stack);
  return ack;
}

/** Sends an Events API event from `teamId` and waits until the app finished handling it. */
export async function deliverEvent(
  stack: LocalStack,
  teamId: string,
  event: { type: string } & Record<string, unknown>,
): Promise<SignedResponse> {
  const ack = await sendEvent({
    appUrl: stack.appUrl,
    signingSecret: stack.slack.app.signingSecret,
    team: teamId,
    event,
  });
  await settle(stack);
  return ack;
}

/** Waits for work the app continues after acking (listeners run after the ack). */
export async function settle(stack: LocalStack): Promise<void> {
  if (!(await stack.app.services.inFlight.drain(5_000))) throw new Error('the app was still busy after 5 s');
}

/** Raw access to what the app's store holds in the backend, read with the backend's own client. */
export function rawBackend(stack: LocalStack, backend: BackendUnderTest): Promise<RawBackend> {
  return backend.raw(stack.dataDir, STORE_NAMESPACE);
}

/** Every physical key in the backend that belongs to the team's workspace space. */
export async function keysOfTeam(raw: RawBackend, teamId: string): Promise<string[]> {
  return (await raw.entries()).map((entry) => entry.key).filter((key) => key.includes(`:ws:${teamId}:`));
}
