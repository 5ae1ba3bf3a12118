/**
 * Revocation is not uninstall. When Slack revokes the bot token (a leaked token, an admin's action),
 * the installation stops authorizing anything and its tokens are dropped, but settings and the audit
 * trail stay, so a reinstall finds them and an investigation still has its record. An installation
 * that stays revoked is purged, as an uninstall would, after REVOKED_RETENTION_DAYS: a member of the
 * `revoked-purge` due queue, taken by one replica through the scheduling core's leases.
 */
import type { Logger } from '../logger';
import { DueTicker } from '../schedule/due-ticker';
import { type DueItem, parseWorkspaceKey, type Store, workspaceKey } from '../store';
import { installationRef, type KeyvInstallationStore, type Revocation } from './installation-store';

export const REVOKED_PURGE_QUEUE = 'revoked-purge';
export const DEFAULT_REVOKED_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60_000;

export type PurgeOutcome = 'purged' | 'reinstalled' | 'timed_out';

export interface RevocationsOptions {
  store: Store;
  installations: KeyvInstallationStore;
  retentionDays: number;
  /** Deletes everything held for the installation's workspaces, as app_uninstalled does. */
  purge: (scope: Revocation['scope']) => Promise<void>;
  logger: Logger;
  now?: () => Date;
  /** How often replicas look for purges that are due. Default every 10 minutes. */
  cronPattern?: string;
}

export class Revocations {
  readonly ticker: DueTicker<PurgeOutcome>;
  private readonly now: () => Date;

  constructor(private readonly options: RevocationsOptions) {
    this.now = options.now ?? (() => new Date());
    this.ticker = new DueTicker<PurgeOutcome>({
      store: options.store,
      queue: REVOKED_PURGE_QUEUE,
      handler: { run: (item, now) => this.purgeIfDue(item, now), timedOut: () => 'timed_out' },
      logger: options.logger.child({ component: 'revoked-purge' }),
      now: this.now,
      concurrency: 2,
      cronPattern: options.cronPattern ?? '0 */10 * * * *',
      summary: {
        message: 'revoked installations checked',
        fields: (reports) => ({
          purged: reports.filter((report) => report === 'purged').length,
          reinstalled: reports.filter((report) => report === 'reinstalled').length,
        }),
      },
    });
  }

  /**
   * The bot token of the installation covering `scope` was revoked: it stops being used now, and
   * everything held for it is purged after the retention period unless the app is installed again.
   * False when there was no installation to revoke.
   */
  async revoke(scope: Revocation['scope']): Promise<boolean> {
    const ref = installationRef(scope);
    const revocation = await this.options.installations.markRevoked(ref, this.now());
    if (!revocation) return false;
    const purgeAt = this.purgeTime(revocation);
    await this.options.store.due.set(REVOKED_PURGE_QUEUE, workspaceKey(ref), purgeAt);
    this.options.logger.warn(
      { team: scope.teamId, enterprise: scope.enterpriseId, purgeAt: purgeAt.toISOString() },
      'the bot token was revoked: the installation needs a reinstall; settings and the audit trail are kept until then or until the purge',
    );
    return true;
  }

  private purgeTime(revocation: Revocation): Date {
    return new Date(revocation.revokedAt.getTime() + this.options.retentionDays * DAY_MS);
  }

  private async purgeIfDue(item: DueItem, now: Date) {
    const ref = parseWorkspaceKey(item.member);
    const revocation = ref ? await this.options.installations.revocation(ref) : undefined;
    // Installed again (the record no longer says revoked), or already gone: nothing to purge.
    if (!revocation) return { report: 'reinstalled' as const, next: 'remove' as const };
    const purgeAt = this.purgeTime(revocation);
    if (purgeAt > now) return { next: purgeAt };
    await this.options.purge(revocation.scope);
    return { report: 'purged' as const, next: 'remove' as const };
  }
}
