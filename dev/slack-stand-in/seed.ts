import { BOT_SCOPES } from '../../src/slack/scopes';
import type { Workspaces } from './workspace';

/** The one Slack app the stand-in knows: ours. Every value is an obvious fake. */
export interface StandInAppConfig {
  appId: string;
  clientId: string;
  clientSecret: string;
  signingSecret: string;
  /** App-level token (`xapp-`) accepted by apps.connections.open. */
  appToken: string;
  /** The legacy verification token Slack still puts in payloads. */
  verificationToken: string;
}

export const DEFAULT_APP: Readonly<StandInAppConfig> = {
  appId: 'A0VIAMBILL',
  clientId: '1000000000.2000000000',
  clientSecret: 'standin-client-secret-not-real',
  signingSecret: 'standin-signing-secret-not-real',
  appToken: 'xapp-standin-A0VIAMBILL-not-a-real-token',
  verificationToken: 'standin-verification-token',
};

/** The bot scopes in manifest.yml, which is what a fresh install grants (the app's own list, held equal to the manifest by a test). */
export const MANIFEST_BOT_SCOPES: readonly string[] = BOT_SCOPES;

/** Ids of the default workspace, for tests and the demo to refer to. */
export const SEED = {
  team: { id: 'T0ACMEROBO', name: 'Acme Robotics', domain: 'acme-robotics' },
  botToken: 'xoxb-standin-acme-robotics-not-a-real-token',
  botUserId: 'U0VIAMBILL',
  botId: 'B0VIAMBILL',
  users: {
    /** Primary owner, New York. */
    ada: 'U0ADAOWNER',
    /** Workspace admin, Los Angeles. */
    grace: 'U0GRACEADM',
    /** Member, Helsinki. */
    linus: 'U0LINUSENG',
    /** Member, Tokyo. */
    mei: 'U0MEITOKYO',
  },
  channels: {
    /** Public, bot is a member. */
    general: 'C0GENERAL0',
    /** Public, bot is a member; where digests go. */
    billing: 'C0BILLING0',
    /** Public, bot is NOT a member. */
    random: 'C0RANDOM00',
    /** Private, bot is a member. */
    finance: 'G0FINANCE0',
    /** Private, bot is NOT a member. */
    leadership: 'G0LEADERS0',
    /** Public, archived, bot was a member. */
    oldProjects: 'C0OLDPROJ0',
  },
} as const;

export function seedDefaultTeam(workspaces: Workspaces): void {
  const { team, users, channels } = SEED;
  workspaces.addTeam({
    ...team,
    botToken: SEED.botToken,
    botUserId: SEED.botUserId,
    botId: SEED.botId,
    scopes: [...MANIFEST_BOT_SCOPES],
  });
  workspaces.addUser(team.id, {
    id: users.ada,
    name: 'ada',
    realName: 'Ada Lovelace',
    tz: 'America/New_York',
    isPrimaryOwner: true,
  });
  workspaces.addUser(team.id, {
    id: users.grace,
    name: 'grace',
    realName: 'Grace Hopper',
    tz: 'America/Los_Angeles',
    isAdmin: true,
  });
  workspaces.addUser(team.id, { id: users.linus, name: 'linus', realName: 'Linus Virtanen', tz: 'Europe/Helsinki' });
  workspaces.addUser(team.id, { id: users.mei, name: 'mei', realName: 'Mei Tanaka', tz: 'Asia/Tokyo' });

  const everyone = Object.values(users);
  const finance = [users.ada, users.grace];
  workspaces.addChannel(team.id, { id: channels.general, name: 'general', members: everyone, botIsMember: true });
  workspaces.addChannel(team.id, { id: channels.billing, name: 'billing', members: finance, botIsMember: true });
  workspaces.addChannel(team.id, { id: channels.random, name: 'random', members: everyone });
  workspaces.addChannel(team.id, {
    id: channels.finance,
    name: 'finance',
    isPrivate: true,
    members: finance,
    botIsMember: true,
  });
  workspaces.addChannel(team.id, { id: channels.leadership, name: 'leadership', isPrivate: true, members: finance });
  workspaces.addChannel(team.id, {
    id: channels.oldProjects,
    name: 'old-projects',
    members: everyone,
    botIsMember: true,
    isArchived: true,
  });
}
