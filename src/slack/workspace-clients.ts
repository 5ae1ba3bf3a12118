import { type AuthorizeResult, type InstallationQuery, webApi } from '@slack/bolt';
import { type WorkspaceRef, workspacePrefix } from '../store';

/**
 * Web API clients for background work (digests) in OAuth mode, one per workspace, built from that
 * workspace's installation. Tokens come through our authorize, which also refreshes a rotating token
 * that is about to expire (once across replicas, and saves it). Clients are cached briefly, and never
 * past a minute before their token expires: another replica may rotate or delete the install
 * meanwhile, and a stale client then fails like a revoked token would.
 */
export interface WorkspaceClientsOptions {
  /** Which install serves a workspace (its own, or its enterprise's org-wide one); undefined when none. */
  queryFor: (ref: WorkspaceRef) => Promise<InstallationQuery<boolean> | undefined>;
  /** The installation's token, refreshed when due (see authorize.ts). */
  authorize: (query: InstallationQuery<boolean>) => Promise<AuthorizeResult>;
  clientOptions: webApi.WebClientOptions;
  /** Milliseconds; default one minute. */
  ttlMs?: number;
  /** Milliseconds since the epoch. */
  now?: () => number;
}

/** A cached client is dropped this long before its token expires, so the next call gets a fresh one. */
const EXPIRY_MARGIN_MS = 60_000;

export class WorkspaceClients {
  private readonly cache = new Map<string, { ref: WorkspaceRef; client: webApi.WebClient; until: number }>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: WorkspaceClientsOptions) {
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * The workspace's client. When the app is not installed there, fails the way Slack answers a call
   * without a token (`not_authed`), so callers treat it like any lost installation.
   */
  async clientFor(ref: WorkspaceRef): Promise<webApi.WebClient> {
    const key = workspacePrefix(ref);
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.client;
    const query = await this.options.queryFor(ref);
    const authorized = query ? await this.options.authorize(query) : undefined;
    const token = authorized?.botToken;
    if (!token) {
      this.cache.delete(key);
      throw new webApi.WebAPIPlatformError({ ok: false, error: 'not_authed' });
    }
    const client = new webApi.WebClient(token, this.options.clientOptions);
    const expiresAt = authorized.botTokenExpiresAt;
    const until = Math.min(
      this.now() + this.ttlMs,
      typeof expiresAt === 'number' ? expiresAt * 1000 - EXPIRY_MARGIN_MS : Number.POSITIVE_INFINITY,
    );
    if (until > this.now()) this.cache.set(key, { ref, client, until });
    else this.cache.delete(key);
    return client;
  }

  /**
   * Drops cached clients of an install that changed. An org-wide install (keyed by the enterprise)
   * serves every team of that enterprise, so all of theirs go.
   */
  forget(installRef: WorkspaceRef): void {
    const own = workspacePrefix(installRef);
    // An org-wide install's ref is `{ teamId: <enterpriseId> }`.
    const enterpriseId = installRef.enterpriseId === undefined ? installRef.teamId : undefined;
    for (const [key, entry] of this.cache) {
      if (key === own || (enterpriseId !== undefined && entry.ref.enterpriseId === enterpriseId))
        this.cache.delete(key);
    }
  }
}
