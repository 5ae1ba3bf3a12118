import type { webApi } from '@slack/bolt';

/** What the app needs to know about a Slack user: their rights and their time zone. */
export interface SlackUserFacts {
  id: string;
  isAdmin: boolean;
  timeZone?: string;
}

const TTL_MS = 60_000;
const MAX_ENTRIES = 5_000;

/**
 * users.info with a short cache: one command would otherwise look the caller up twice (rights, then
 * time zone), and Slack rate-limits users.info (Tier 4). A cache is safe across replicas: an admin
 * demoted a minute ago keeps rights for at most a minute.
 */
export class SlackUsers {
  private readonly cache = new Map<string, { facts: SlackUserFacts; expires: number }>();

  constructor(private readonly now: () => Date) {}

  async lookup(client: webApi.WebClient, teamId: string, userId: string): Promise<SlackUserFacts> {
    const cacheKey = `${teamId}:${userId}`;
    const at = this.now().getTime();
    const cached = this.cache.get(cacheKey);
    if (cached && cached.expires > at) return cached.facts;

    const answer = await client.users.info({ user: userId });
    const user = answer.user;
    const facts: SlackUserFacts = {
      id: userId,
      isAdmin: Boolean(user?.is_admin || user?.is_owner || user?.is_primary_owner),
      timeZone: user?.tz || undefined,
    };
    if (this.cache.size >= MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(cacheKey, { facts, expires: at + TTL_MS });
    return facts;
  }
}
