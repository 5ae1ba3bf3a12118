import { z } from 'zod';
import type { ViamApiKey } from '../billing/model';
import type { Logger } from '../logger';
import { StoreError } from './errors';
import { parseWorkspaceKey, type WorkspaceRef, workspaceKey, workspacePrefix } from './keys';
import type { Kv } from './keyv';
import type { KeyedMutex } from './mutex';
import { compareAndSet, decodeRecord, encodeRecord, type RecordType, resetRecord, UNCHANGED } from './records';
import type { EncryptionKey } from './seal';

/** A Viam organization connected to a workspace. The sealed API key stays inside the store. */
export interface ConnectedOrg {
  /** Unique within the workspace, compared case-insensitively. */
  label: string;
  orgId: string;
  apiKeyId: string;
  /** Slack user ID of whoever connected it. */
  connectedBy: string;
  /** ISO 8601. */
  connectedAt: string;
}

export interface WorkspacePreferences {
  /** IANA zone, e.g. Europe/Berlin; canonicalised when set. */
  timeZone?: string;
  /** BCP 47 tag, e.g. en-GB; canonicalised when set. */
  locale?: string;
  currency: 'USD';
}

export interface Workspace {
  ref: WorkspaceRef;
  orgs: ConnectedOrg[];
  defaultOrgLabel?: string;
  /** Slack user IDs granted view access; admins always have it. */
  viewers: string[];
  preferences: WorkspacePreferences;
  /** ISO 8601; the Unix epoch for a workspace that was never saved. */
  updatedAt: string;
}

export interface ConnectOrgInput {
  label: string;
  orgId: string;
  apiKey: ViamApiKey;
  connectedBy: string;
}

/** A field left out stays as it is; null clears it. */
export interface PreferencesChange {
  timeZone?: string | null;
  locale?: string | null;
}

export const MAX_ORGS = 25;
export const MAX_VIEWERS = 500;

export const WORKSPACE_UNREADABLE =
  "This workspace's saved Viam settings could not be read. An admin can run `/viam-usage reset` to start over; nothing else was changed.";

const storedOrgSchema = z.object({
  label: z.string(),
  orgId: z.string(),
  apiKeyId: z.string(),
  sealedKey: z.string(),
  connectedBy: z.string(),
  connectedAt: z.string(),
});

const storedWorkspaceSchema = z.object({
  ref: z.object({ teamId: z.string(), enterpriseId: z.string().optional() }),
  orgs: z.array(storedOrgSchema),
  defaultOrgLabel: z.string().optional(),
  viewers: z.array(z.string()),
  preferences: z.object({
    timeZone: z.string().optional(),
    locale: z.string().optional(),
    currency: z.literal('USD'),
  }),
  updatedAt: z.string(),
});

type StoredWorkspace = z.infer<typeof storedWorkspaceSchema>;
type StoredOrg = z.infer<typeof storedOrgSchema>;

const WORKSPACE_RECORD: RecordType<StoredWorkspace> = {
  kind: 'workspace',
  version: 1,
  schema: storedWorkspaceSchema,
  unreadableMessage: WORKSPACE_UNREADABLE,
};

const LABEL = /^[\p{L}\p{N}][\p{L}\p{N} ._-]{0,39}$/u;
const VIAM_ID = /^[A-Za-z0-9-]{1,64}$/;
const API_KEY_SECRET = /^\S{1,512}$/;
const SLACK_USER = /^[UW][A-Z0-9]{1,31}$/;

/**
 * Connected orgs, access list and preferences of each workspace, in one record per workspace.
 * Read-modify-write is serialised per workspace inside this process. Across replicas it is not:
 * two admins changing the same workspace at the same moment on different replicas can lose one
 * change (last write wins). Admin changes are rare and shown back to whoever made them.
 */
export class WorkspaceRepository {
  constructor(
    private readonly kv: Kv,
    private readonly encryptionKey: EncryptionKey,
    private readonly mutex: KeyedMutex,
    private readonly now: () => Date,
    private readonly logger: Logger,
  ) {}

  /** The workspace, or an empty one when nothing was saved; StoreError('corrupt') when unreadable. */
  async get(ref: WorkspaceRef): Promise<Workspace> {
    return toPublic((await this.load(ref)) ?? emptyWorkspace(ref));
  }

  /** Adds an org, or replaces the one with the same label. The first org becomes the default. */
  async connectOrg(ref: WorkspaceRef, input: ConnectOrgInput): Promise<Workspace> {
    const label = checkLabel(input.label);
    if (!VIAM_ID.test(input.orgId)) {
      throw new StoreError('invalid', "That is not a Viam organization ID; copy it from the org's settings page.");
    }
    if (!VIAM_ID.test(input.apiKey.id)) throw new StoreError('invalid', 'That is not a Viam API key ID.');
    if (!API_KEY_SECRET.test(input.apiKey.key)) {
      throw new StoreError('invalid', 'The API key is empty, too long or has spaces in it.');
    }
    checkUser(input.connectedBy);
    const sealedKey = this.encryptionKey.seal(input.apiKey.key, sealContext(ref, input.orgId, input.apiKey.id));

    return this.mutate(ref, (workspace, now) => {
      const org: StoredOrg = {
        label,
        orgId: input.orgId,
        apiKeyId: input.apiKey.id,
        sealedKey,
        connectedBy: input.connectedBy,
        connectedAt: now,
      };
      const index = findIndex(workspace.orgs, label);
      if (index >= 0) {
        const replaced = workspace.orgs[index] as StoredOrg;
        workspace.orgs[index] = org;
        if (workspace.defaultOrgLabel !== undefined && sameLabel(workspace.defaultOrgLabel, replaced.label)) {
          workspace.defaultOrgLabel = label;
        }
      } else {
        if (workspace.orgs.length >= MAX_ORGS) {
          throw new StoreError('invalid', `A workspace can connect at most ${MAX_ORGS} orgs. Disconnect one first.`);
        }
        workspace.orgs.push(org);
      }
      workspace.defaultOrgLabel ??= label;
    });
  }

  /** Removes an org and its key. If it was the default, the first remaining org becomes the default. */
  async disconnectOrg(ref: WorkspaceRef, label: string): Promise<Workspace> {
    return this.mutate(ref, (workspace) => {
      const index = findIndex(workspace.orgs, label);
      if (index < 0) throw orgNotFound(label);
      const [removed] = workspace.orgs.splice(index, 1);
      if (removed && workspace.defaultOrgLabel !== undefined && sameLabel(workspace.defaultOrgLabel, removed.label)) {
        workspace.defaultOrgLabel = workspace.orgs[0]?.label;
      }
    });
  }

  async setDefaultOrg(ref: WorkspaceRef, label: string): Promise<Workspace> {
    return this.mutate(ref, (workspace) => {
      const org = workspace.orgs[findIndex(workspace.orgs, label)];
      if (!org) throw orgNotFound(label);
      workspace.defaultOrgLabel = org.label;
    });
  }

  /**
   * Key rotation: this workspace's API keys sealed again with the current key, in one compare-and-set,
   * so a change a replica makes meanwhile is kept. Keys already sealed with it are left alone, so a
   * rotation can stop and start again anywhere. Returns how many keys changed.
   */
  async resealKeys(ref: WorkspaceRef): Promise<number> {
    return this.compareAndSetRecord(ref, (stored) => {
      const workspace = this.decode(ref, stored);
      const stale = workspace?.orgs.filter((org) => !this.encryptionKey.sealedWithThis(org.sealedKey)) ?? [];
      if (!workspace || stale.length === 0) return { next: UNCHANGED, result: 0 };
      const orgs = workspace.orgs.map((org) =>
        stale.includes(org)
          ? { ...org, sealedKey: this.encryptionKey.reseal(org.sealedKey, sealContext(ref, org.orgId, org.apiKeyId)) }
          : org,
      );
      return { next: encodeRecord(WORKSPACE_RECORD, { ...workspace, orgs }, this.logger), result: stale.length };
    });
  }

  /** The only ways to get a secret back out of the store: this one, and `getWithKeys` below. */
  async revealApiKey(ref: WorkspaceRef, label: string): Promise<ViamApiKey> {
    return this.unseal(ref, (await this.load(ref)) ?? emptyWorkspace(ref), label);
  }

  /**
   * The workspace and its orgs' keys from one read: a command that checks access and then calls Viam
   * needs both, and a second read of the same record would cost a round trip and a decode.
   */
  async getWithKeys(ref: WorkspaceRef): Promise<{ workspace: Workspace; revealApiKey(label: string): ViamApiKey }> {
    const stored = (await this.load(ref)) ?? emptyWorkspace(ref);
    return { workspace: toPublic(stored), revealApiKey: (label) => this.unseal(ref, stored, label) };
  }

  private unseal(ref: WorkspaceRef, workspace: StoredWorkspace, label: string): ViamApiKey {
    const org = workspace.orgs[findIndex(workspace.orgs, label)];
    if (!org) throw orgNotFound(label);
    try {
      return {
        id: org.apiKeyId,
        key: this.encryptionKey.unseal(org.sealedKey, sealContext(ref, org.orgId, org.apiKeyId)),
      };
    } catch (error) {
      if (error instanceof StoreError) {
        this.logger.error(
          { workspace: workspaceKey(ref), label: org.label, kind: error.kind, keyId: this.encryptionKey.id },
          'could not unseal a saved API key',
        );
      }
      throw error;
    }
  }

  async grantViewer(ref: WorkspaceRef, userId: string): Promise<Workspace> {
    checkUser(userId);
    return this.mutate(ref, (workspace) => {
      if (workspace.viewers.includes(userId)) return;
      if (workspace.viewers.length >= MAX_VIEWERS) {
        throw new StoreError('invalid', `At most ${MAX_VIEWERS} people can be given view access.`);
      }
      workspace.viewers.push(userId);
    });
  }

  async revokeViewer(ref: WorkspaceRef, userId: string): Promise<Workspace> {
    checkUser(userId);
    return this.mutate(ref, (workspace) => {
      workspace.viewers = workspace.viewers.filter((viewer) => viewer !== userId);
    });
  }

  async setPreferences(ref: WorkspaceRef, change: PreferencesChange): Promise<Workspace> {
    const timeZone =
      change.timeZone === undefined || change.timeZone === null ? change.timeZone : checkTimeZone(change.timeZone);
    const locale = change.locale === undefined || change.locale === null ? change.locale : checkLocale(change.locale);
    return this.mutate(ref, (workspace) => {
      if (timeZone === null) delete workspace.preferences.timeZone;
      else if (timeZone !== undefined) workspace.preferences.timeZone = timeZone;
      if (locale === null) delete workspace.preferences.locale;
      else if (locale !== undefined) workspace.preferences.locale = locale;
    });
  }

  /**
   * Starts the workspace's settings over: orgs, keys, viewers and preferences. An unreadable record is
   * moved aside to a `corrupt:` key first; other records of the workspace are left alone.
   */
  async resetWorkspace(ref: WorkspaceRef): Promise<{ backupKey?: string }> {
    const key = recordKey(ref);
    return this.mutex.run(key, async () => {
      const result = await resetRecord(this.kv, WORKSPACE_RECORD, ref, key, this.now(), this.logger);
      this.logger.info({ workspace: workspaceKey(ref), backupKey: result.backupKey }, 'workspace settings reset');
      return result;
    });
  }

  /**
   * Removes every key of the workspace, whoever wrote it: records, claims, logs and due entries. It
   * leaves a tombstone, so a change racing the uninstall cannot bring anything back; writes into the
   * workspace fail with StoreError('gone') until reviveWorkspace (a new install) lifts it.
   */
  async deleteWorkspace(ref: WorkspaceRef): Promise<{ deletedKeys: number }> {
    const wk = workspaceKey(ref);
    const deletedKeys = await this.kv.deleteWorkspace(wk, this.now().getTime());
    this.logger.info({ workspace: wk, deletedKeys }, 'workspace deleted');
    return { deletedKeys };
  }

  /** Lets a workspace that uninstalled the app store again, starting clean; true when it had been deleted. */
  async reviveWorkspace(ref: WorkspaceRef): Promise<boolean> {
    const revived = await this.kv.reviveWorkspace(workspaceKey(ref));
    if (revived) this.logger.info({ workspace: workspaceKey(ref) }, 'workspace installed again');
    return revived;
  }

  /** True when the workspace uninstalled the app and has not installed it again. */
  async isDeleted(ref: WorkspaceRef): Promise<boolean> {
    return this.kv.isDeleted(workspaceKey(ref));
  }

  /** Every workspace that has anything stored, in key order, read from the engine's workspace index a page at a time. */
  async *listWorkspaces(): AsyncIterable<WorkspaceRef> {
    let after: string | undefined;
    for (;;) {
      const page = await this.kv.listWorkspaces(after, WORKSPACE_PAGE);
      for (const wk of page) {
        const ref = parseWorkspaceKey(wk);
        if (ref) yield ref;
      }
      if (page.length < WORKSPACE_PAGE) return;
      after = page[page.length - 1];
    }
  }

  private async load(ref: WorkspaceRef): Promise<StoredWorkspace | undefined> {
    return this.decode(ref, await this.kv.get(recordKey(ref)));
  }

  private decode(ref: WorkspaceRef, stored: unknown): StoredWorkspace | undefined {
    const key = recordKey(ref);
    const workspace = decodeRecord(WORKSPACE_RECORD, key, stored, this.logger);
    if (workspace !== undefined && workspaceKey(workspace.ref) !== workspaceKey(ref)) {
      this.logger.error({ storeKey: key, reason: 'the record names another workspace' }, 'stored record is unreadable');
      throw new StoreError('corrupt', WORKSPACE_UNREADABLE);
    }
    return workspace;
  }

  /** A change to the workspace record as a compare-and-set on the backend; `change` may run more than once. */
  private async mutate(
    ref: WorkspaceRef,
    change: (workspace: StoredWorkspace, now: string) => void,
  ): Promise<Workspace> {
    return this.compareAndSetRecord(ref, (stored) => {
      const workspace = structuredClone(this.decode(ref, stored) ?? emptyWorkspace(ref));
      const now = this.now().toISOString();
      change(workspace, now);
      workspace.updatedAt = now;
      return { next: encodeRecord(WORKSPACE_RECORD, workspace, this.logger), result: toPublic(workspace) };
    });
  }

  /** The workspace record's compare-and-set, one at a time per workspace in this process. */
  private compareAndSetRecord<R>(
    ref: WorkspaceRef,
    apply: (stored: unknown) => { next: unknown | typeof UNCHANGED; result: R },
  ): Promise<R> {
    const key = recordKey(ref);
    return this.mutex.run(key, () => compareAndSet(this.kv, key, apply, this.logger));
  }
}

/** Workspaces read from the index per round trip while listing. */
const WORKSPACE_PAGE = 500;

/** The org with this label (case-insensitive), if connected. */
export function findOrg(workspace: Workspace, label: string): ConnectedOrg | undefined {
  return workspace.orgs.find((org) => sameLabel(org.label, label));
}

/** The default org, falling back to the only/first one. */
export function defaultOrg(workspace: Workspace): ConnectedOrg | undefined {
  return (
    (workspace.defaultOrgLabel !== undefined ? findOrg(workspace, workspace.defaultOrgLabel) : undefined) ??
    workspace.orgs[0]
  );
}

function recordKey(ref: WorkspaceRef): string {
  return `${workspacePrefix(ref)}workspace`;
}

/** Binds a sealed key to its workspace and org: copied into another record it will not open. */
function sealContext(ref: WorkspaceRef, orgId: string, apiKeyId: string): string {
  return `viam-api-key|${workspaceKey(ref)}|${orgId}|${apiKeyId}`;
}

function emptyWorkspace(ref: WorkspaceRef): StoredWorkspace {
  const copy: WorkspaceRef =
    ref.enterpriseId === undefined ? { teamId: ref.teamId } : { teamId: ref.teamId, enterpriseId: ref.enterpriseId };
  return { ref: copy, orgs: [], viewers: [], preferences: { currency: 'USD' }, updatedAt: new Date(0).toISOString() };
}

function toPublic(stored: StoredWorkspace): Workspace {
  const workspace: Workspace = {
    ref: stored.ref.enterpriseId === undefined ? { teamId: stored.ref.teamId } : { ...stored.ref },
    orgs: stored.orgs.map(({ sealedKey: _sealed, ...org }) => ({ ...org })),
    viewers: [...stored.viewers],
    preferences: { ...stored.preferences },
    updatedAt: stored.updatedAt,
  };
  if (stored.defaultOrgLabel !== undefined) workspace.defaultOrgLabel = stored.defaultOrgLabel;
  return workspace;
}

function normalizeLabel(label: string): string {
  return label.trim().normalize('NFC').toLowerCase();
}

function sameLabel(a: string, b: string): boolean {
  return normalizeLabel(a) === normalizeLabel(b);
}

function findIndex(orgs: StoredOrg[], label: string): number {
  return orgs.findIndex((org) => sameLabel(org.label, label));
}

function checkLabel(label: string): string {
  const trimmed = label.trim().normalize('NFC');
  if (!LABEL.test(trimmed)) {
    throw new StoreError(
      'invalid',
      'An org label is 1 to 40 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit, e.g. `acme-prod`.',
    );
  }
  return trimmed;
}

function orgNotFound(label: string): StoreError {
  // Echo the label only when it is a well-formed one, so arbitrary input never reaches a Slack message.
  const named = LABEL.test(label.trim()) ? ` labelled "${label.trim()}"` : ' with that label';
  return new StoreError('not_found', `No org${named} is connected. \`/viam-usage orgs\` lists the connected orgs.`);
}

function checkUser(userId: string): void {
  if (!SLACK_USER.test(userId)) throw new StoreError('invalid', 'That is not a Slack user ID.');
}

function checkTimeZone(timeZone: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: timeZone.trim() }).resolvedOptions().timeZone;
  } catch {
    throw new StoreError('invalid', 'That is not a time zone. Use a name like `Europe/Berlin` or `America/New_York`.');
  }
}

function checkLocale(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.trim());
    if (canonical !== undefined && canonical.length <= 35) return canonical;
  } catch {
    // Falls through to the error below.
  }
  throw new StoreError('invalid', 'That is not a locale. Use a tag like `en-US` or `de-DE`.');
}
