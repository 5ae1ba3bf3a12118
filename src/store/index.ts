import type { Logger } from '../logger';
import { Claims } from './claims';
import { DueIndex } from './due';
import { checkStoreKey, requireSharedKey, resealKeyCheck } from './key-check';
import { type Kv, openKv } from './keyv';
import { LogCollection, type LogType } from './logs';
import { KeyedMutex } from './mutex';
import { RecordCollection, type RecordType } from './records';
import { type EncryptionKey, loadEncryptionKey, type SecretSealer, secretSealer } from './seal';
import { type BackendKind, DEFAULT_DATA_DIR, parseStoreUrl } from './store-url';
import { WorkspaceRepository } from './workspaces';

export type { ClaimRecord } from './claims';
export { Claims } from './claims';
export { DueIndex, type DueItem } from './due';
export { isStoreError, StoreError, type StoreErrorKind } from './errors';
export { parseWorkspaceKey, type WorkspaceRef, workspaceKey, workspacePrefix, workspaceScopedKey } from './keys';
export type { LogCollection, LogType } from './logs';
export type { RecordCollection, RecordListing, RecordType } from './records';
export type { SecretSealer } from './seal';
export type { BackendKind } from './store-url';
export {
  type ConnectedOrg,
  type ConnectOrgInput,
  defaultOrg,
  findOrg,
  type PreferencesChange,
  type Workspace,
  type WorkspacePreferences,
  WorkspaceRepository,
} from './workspaces';

export interface StoreOptions {
  /** STORE_URL; empty or absent means an SQLite file in `dataDir`. */
  url?: string;
  /** DATA_DIR: the default SQLite file and the generated encryption key file live here. Default ./data */
  dataDir?: string;
  /** ENCRYPTION_KEY (base64, 32 bytes); absent means `<dataDir>/encryption.key`, generated once (SQLite only). */
  encryptionKey?: string;
  /** ENCRYPTION_KEY_PREVIOUS: keys values may still be sealed with during a rotation (they open, never seal). */
  previousKeys?: string;
  logger: Logger;
  /** Prefix of every key; tests use a unique one per run. Default `viam-billing`. */
  namespace?: string;
  /** The clock for timestamps and (on SQL backends) claim expiry. */
  now?: () => Date;
}

export interface Store {
  readonly backend: BackendKind;
  readonly workspaces: WorkspaceRepository;
  readonly claims: Claims;
  /** Versioned records of another feature under each workspace, at `ws:<workspace>:<kind>:<id>`. */
  records<T>(type: RecordType<T>): RecordCollection<T>;
  /** Append-only entries under each workspace (the audit trail), kept whole across replicas. */
  logs<T>(type: LogType<T>): LogCollection<T>;
  /** When each recurring piece of work is next due, for the scheduling core. */
  readonly due: DueIndex;
  /** Seals other modules' secrets (e.g. Slack installation tokens) with the key that seals Viam API keys. */
  readonly secrets: SecretSealer;
  /** The keys in use (IDs only, safe to log), and the last step of a key rotation (src/store/rotate-key.ts). */
  readonly encryption: { keyId: string; previousKeyIds: string[]; resealKeyCheck(): Promise<boolean> };
  /** Resolves when the backend answers; StoreError('unavailable') otherwise. For readiness checks. */
  ping(): Promise<void>;
  /** Disconnects; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the store named by STORE_URL. Fails with StoreError: 'invalid' for a bad STORE_URL or
 * ENCRYPTION_KEY (or none on Redis/PostgreSQL), 'key_mismatch' when the store was sealed with another
 * key, 'unavailable' when the backend cannot be reached.
 */
export async function openStore(options: StoreOptions): Promise<Store> {
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ component: 'store' });
  const spec = parseStoreUrl(options.url, dataDir);
  // The key first: a bad ENCRYPTION_KEY should stop start-up before anything connects.
  requireSharedKey(spec.kind, options.encryptionKey);
  const encryptionKey = await loadEncryptionKey({
    encryptionKey: options.encryptionKey,
    previousKeys: options.previousKeys,
    dataDir,
    logger,
  });
  const kv: Kv = await openKv({ spec, namespace: options.namespace, logger: options.logger });
  // Before anything can seal: a process with another key than the store's stops here (and closes kv).
  await checkStoreKey(kv, encryptionKey, logger, now);
  return assembleStore(kv, encryptionKey, now, logger);
}

/** The Store over an open Kv whose key was checked: openStore's last step, and the scale bench's in-memory store. */
export function assembleStore(kv: Kv, encryptionKey: EncryptionKey, now: () => Date, logger: Logger): Store {
  const mutex = new KeyedMutex();
  return {
    backend: kv.backend,
    workspaces: new WorkspaceRepository(kv, encryptionKey, mutex, now, logger),
    claims: new Claims(kv, now),
    records: <T>(type: RecordType<T>) => new RecordCollection<T>(kv, type, mutex, now, logger),
    logs: <T>(type: LogType<T>) => new LogCollection<T>(kv.log, type, logger),
    due: new DueIndex(kv),
    secrets: secretSealer(encryptionKey),
    encryption: {
      keyId: encryptionKey.id,
      previousKeyIds: encryptionKey.previousIds,
      resealKeyCheck: () => resealKeyCheck(kv, encryptionKey, logger),
    },
    ping: () => kv.ping(),
    close: () => kv.close(),
  };
}
