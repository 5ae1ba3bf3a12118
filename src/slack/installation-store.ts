import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import { z } from 'zod';
import type { Logger } from '../logger';
import { type RecordCollection, type RecordType, type Store, type WorkspaceRef, workspacePrefix } from '../store';

/**
 * Slack installations (OAuth mode) kept in our store, for Bolt's InstallProvider. One record per
 * install at `ws:<workspace>:installation:slack`, so deleting a workspace deletes its install too.
 * The whole Installation Slack handed over is sealed (bot token, refresh token, and whatever else
 * Slack adds later, such as webhook URLs); only identifiers stay readable, for operators.
 */

const RECORD_ID = 'slack';

const storedInstallationSchema = z.object({
  teamId: z.string().optional(),
  enterpriseId: z.string().optional(),
  isEnterpriseInstall: z.boolean(),
  appId: z.string().optional(),
  botUserId: z.string().optional(),
  botScopes: z.array(z.string()),
  /** Unix seconds; present when token rotation is on. */
  botTokenExpiresAt: z.number().optional(),
  installerUserId: z.string(),
  /** ISO 8601: the first install; kept when the same workspace reinstalls or a token is rotated. */
  installedAt: z.string(),
  updatedAt: z.string(),
  /** ISO 8601: when Slack said the bot token was revoked; the tokens are gone, settings stay until a purge. */
  revokedAt: z.string().optional(),
  sealed: z.string(),
});

type StoredInstallation = z.infer<typeof storedInstallationSchema>;

export const INSTALLATION_RECORD: RecordType<StoredInstallation> = {
  kind: 'installation',
  version: 1,
  schema: storedInstallationSchema,
  unreadableMessage:
    "This workspace's Slack installation could not be read. Reinstall the app from its install page; nothing else was changed.",
};

/** What must be in an unsealed installation for Bolt to authorize with it. */
const unsealedSchema = z.object({
  bot: z.object({ token: z.string().min(1), id: z.string().optional(), userId: z.string() }).optional(),
  user: z.object({ id: z.string() }),
});

/**
 * Where an install lives. A workspace install is the workspace's own (on Enterprise Grid, its
 * `<enterprise>.<team>` key); an org-wide install belongs to no single team, so it lives in the
 * enterprise's own space `ws:<enterpriseId>:`, which no team's key can equal.
 */
export function installationRef(where: {
  teamId?: string;
  enterpriseId?: string;
  isEnterpriseInstall?: boolean;
}): WorkspaceRef {
  if (where.isEnterpriseInstall) {
    if (!where.enterpriseId) throw new InstallationNotFoundError();
    return { teamId: where.enterpriseId };
  }
  if (!where.teamId) throw new InstallationNotFoundError();
  return where.enterpriseId ? { teamId: where.teamId, enterpriseId: where.enterpriseId } : { teamId: where.teamId };
}

/** A revoked installation: when, and which workspaces it covered (an org-wide install covers its enterprise's). */
export interface Revocation {
  revokedAt: Date;
  scope: { teamId?: string; enterpriseId?: string; isEnterpriseInstall: boolean };
}

function revocationOf(stored: StoredInstallation): Revocation {
  return {
    revokedAt: new Date(stored.revokedAt ?? stored.updatedAt),
    scope: {
      teamId: stored.teamId,
      enterpriseId: stored.enterpriseId,
      isEnterpriseInstall: stored.isEnterpriseInstall,
    },
  };
}

/** Thrown by fetchInstallation when the workspace never installed the app (or uninstalled it). */
export class InstallationNotFoundError extends Error {
  override readonly name = 'InstallationNotFoundError';
  constructor() {
    super('The app is not installed in this workspace.');
  }
}

export interface KeyvInstallationStoreOptions {
  store: Store;
  logger: Logger;
  now?: () => Date;
  /** Told after an install is saved or deleted, so in-process caches of its token can drop it. */
  onChange?: (ref: WorkspaceRef) => void;
}

export class KeyvInstallationStore implements InstallationStore {
  private readonly records: RecordCollection<StoredInstallation>;
  private readonly logger: Logger;
  private readonly now: () => Date;

  constructor(private readonly options: KeyvInstallationStoreOptions) {
    this.records = options.store.records(INSTALLATION_RECORD);
    this.logger = options.logger.child({ component: 'installations' });
    this.now = options.now ?? (() => new Date());
  }

  /** Called by Bolt after an install and again after it rotated a token. */
  async storeInstallation<AuthVersion extends 'v1' | 'v2'>(
    installation: Installation<AuthVersion, boolean>,
  ): Promise<void> {
    const isEnterpriseInstall = installation.isEnterpriseInstall === true;
    const teamId = installation.team?.id;
    const enterpriseId = installation.enterprise?.id;
    const ref = installationRef({ teamId, enterpriseId, isEnterpriseInstall });
    const sealed = this.options.store.secrets.seal(JSON.stringify(installation), sealContext(ref));
    const now = this.now().toISOString();
    let replaced = false;
    await this.records.update(ref, RECORD_ID, (current) => {
      replaced = current !== undefined;
      return {
        ...(teamId && !isEnterpriseInstall ? { teamId } : {}),
        ...(enterpriseId ? { enterpriseId } : {}),
        isEnterpriseInstall,
        ...(installation.appId ? { appId: installation.appId } : {}),
        ...(installation.bot?.userId ? { botUserId: installation.bot.userId } : {}),
        botScopes: installation.bot?.scopes ?? [],
        ...(installation.bot?.expiresAt !== undefined ? { botTokenExpiresAt: installation.bot.expiresAt } : {}),
        installerUserId: installation.user.id,
        installedAt: current?.installedAt ?? now,
        updatedAt: now,
        sealed,
      };
    });
    this.logger.info(
      { team: teamId, enterprise: enterpriseId, isEnterpriseInstall, replaced },
      replaced ? 'slack installation updated' : 'slack installation saved',
    );
    this.options.onChange?.(ref);
  }

  /**
   * Slack revoked the bot token: the record stays (so settings keep their installation and a reinstall
   * finds them) but its tokens are dropped and it no longer authorizes anything. Returns the record
   * as revoked, or undefined when there is no installation.
   */
  async markRevoked(ref: WorkspaceRef, at: Date): Promise<Revocation | undefined> {
    const context = sealContext(ref);
    const revoked = await this.records.update(ref, RECORD_ID, (current) => {
      if (!current) return undefined;
      // Only who installed it is kept of what was sealed; the dead tokens go.
      const sealed = this.options.store.secrets.seal(
        JSON.stringify({ user: { id: current.installerUserId } }),
        context,
      );
      return { ...current, revokedAt: current.revokedAt ?? at.toISOString(), updatedAt: at.toISOString(), sealed };
    });
    this.options.onChange?.(ref);
    return revoked ? revocationOf(revoked) : undefined;
  }

  /** The revocation of this installation, if its bot token was revoked and no install came since. */
  async revocation(ref: WorkspaceRef): Promise<Revocation | undefined> {
    const stored = await this.records.get(ref, RECORD_ID);
    return stored?.revokedAt === undefined ? undefined : revocationOf(stored);
  }

  /**
   * Key rotation: the installation's tokens sealed again with the store's current key. True when it
   * changed; false when there is none or it already was (so a rotation can be run again).
   */
  async reseal(ref: WorkspaceRef): Promise<boolean> {
    const context = sealContext(ref);
    const current = await this.records.get(ref, RECORD_ID);
    if (!current || current.sealed === this.options.store.secrets.reseal(current.sealed, context)) return false;
    await this.records.update(ref, RECORD_ID, (latest) =>
      latest ? { ...latest, sealed: this.options.store.secrets.reseal(latest.sealed, context) } : undefined,
    );
    this.options.onChange?.(ref);
    return true;
  }

  /**
   * A fresh install (not a token rotation, which also ends in storeInstallation) of a workspace that
   * uninstalled the app: its tombstone is lifted so it can store again, starting clean.
   */
  async reinstalled(installation: Installation<'v1' | 'v2', boolean>): Promise<void> {
    const ref = installationRef({
      teamId: installation.team?.id,
      enterpriseId: installation.enterprise?.id,
      isEnterpriseInstall: installation.isEnterpriseInstall === true,
    });
    await this.options.store.workspaces.reviveWorkspace(ref);
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<Installation<'v1' | 'v2', boolean>> {
    const ref = installationRef(query);
    const stored = await this.records.get(ref, RECORD_ID);
    if (!stored || stored.revokedAt !== undefined) throw new InstallationNotFoundError();
    return this.unseal(ref, stored);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    await this.delete(installationRef(query));
  }

  /** True when an install was there to delete. */
  async delete(ref: WorkspaceRef): Promise<boolean> {
    const deleted = await this.records.delete(ref, RECORD_ID);
    this.options.onChange?.(ref);
    return deleted;
  }

  /**
   * The query Bolt's authorize needs for a workspace: its own install, else its enterprise's
   * org-wide install, else undefined (not installed).
   */
  async queryFor(ref: WorkspaceRef): Promise<InstallationQuery<boolean> | undefined> {
    const own = await this.records.get(ref, RECORD_ID);
    if (own) {
      return own.revokedAt === undefined
        ? { teamId: ref.teamId, enterpriseId: ref.enterpriseId, isEnterpriseInstall: false }
        : undefined;
    }
    const orgWide = ref.enterpriseId ? await this.records.get({ teamId: ref.enterpriseId }, RECORD_ID) : undefined;
    if (orgWide && orgWide.revokedAt === undefined) {
      return { teamId: ref.teamId, enterpriseId: ref.enterpriseId, isEnterpriseInstall: true };
    }
    return undefined;
  }

  private unseal(ref: WorkspaceRef, stored: StoredInstallation): Installation<'v1' | 'v2', boolean> {
    const plaintext = this.options.store.secrets.unseal(stored.sealed, sealContext(ref));
    let parsed: unknown;
    try {
      parsed = JSON.parse(plaintext);
    } catch {
      parsed = undefined;
    }
    if (!unsealedSchema.safeParse(parsed).success) {
      this.logger.error({ storeKey: this.records.key(ref, RECORD_ID) }, 'saved slack installation is unreadable');
      throw new InstallationNotFoundError();
    }
    return parsed as Installation<'v1' | 'v2', boolean>;
  }
}

/** Binds the sealed install to its place: copied under another workspace it will not open. */
function sealContext(ref: WorkspaceRef): string {
  return `slack-installation|${workspacePrefix(ref)}`;
}
