import { z } from 'zod';
import type { Logger } from '../logger';
import { StoreError } from './errors';
import { parseWorkspaceKey } from './keys';
import { type Kv, UnreadableValue } from './keyv';
import { KeyedMutex } from './mutex';
import { compareAndSet, UNCHANGED } from './records';
import type { EncryptionKey } from './seal';
import type { BackendKind } from './store-url';
import { WorkspaceRepository } from './workspaces';

/**
 * One key for every process that opens a store. A Redis or PostgreSQL store is shared by replicas;
 * if one of them ran with its own key it would seal (and re-seal) secrets that no other replica can
 * open. So a shared store needs ENCRYPTION_KEY, and every store holds a key check value: a constant
 * sealed with the key it was first opened with. A process whose key cannot open it stops at start,
 * before it seals anything.
 */

/** Logical key of the check value; outside every workspace's space, so no workspace deletion touches it. */
export const KEY_CHECK_KEY = 'meta:key-check';

export const SHARED_KEY_REQUIRED =
  'ENCRYPTION_KEY is missing: a Redis or PostgreSQL store is shared by every replica, so generate one key with `openssl rand -base64 32` and give every replica that same ENCRYPTION_KEY.';

export const STORE_KEY_MISMATCH =
  'This store was sealed with a different ENCRYPTION_KEY than the one this process runs with, and every replica must use the same one: set ENCRYPTION_KEY to the value the other replicas use (nothing in the store was changed).';

const PLAINTEXT = 'viam-billing store key check';
const CHECK_VERSION = 1;
/**
 * A store created before the check existed is verified against its sealed Viam API keys. Only the
 * first workspaces are read (OAuth-mode stores can have many without any org), once per store.
 */
const LEGACY_SCAN_LIMIT = 100;
const WRITE_ATTEMPTS = 3;

const checkSchema = z.object({ v: z.literal(CHECK_VERSION), sealed: z.string(), createdAt: z.string() });

/**
 * Refuses a Redis or PostgreSQL store without ENCRYPTION_KEY, before any key file is generated: a
 * generated file lives on one machine, and each replica would make its own.
 */
export function requireSharedKey(backend: BackendKind, encryptionKey: string | undefined): void {
  if (backend !== 'sqlite' && !encryptionKey?.trim()) throw new StoreError('invalid', SHARED_KEY_REQUIRED);
}

/**
 * Proves that `key` is the store's key: opens the check value, or (for a store without one) a sealed
 * Viam API key, then writes the check if absent. StoreError 'key_mismatch' when the key is another
 * one, 'corrupt' when the check value is damaged. On any failure the connection is closed, so a
 * refused start leaves nothing open.
 */
export async function checkStoreKey(kv: Kv, key: EncryptionKey, logger: Logger, now: () => Date): Promise<void> {
  try {
    await establish(kv, key, logger, now);
  } catch (error) {
    await kv.close();
    throw error;
  }
}

async function establish(kv: Kv, key: EncryptionKey, logger: Logger, now: () => Date): Promise<void> {
  // Bound to the namespace, so a check value copied from another store's namespace does not pass.
  const context = `store-key-check|${kv.namespace}`;
  let legacyChecked = false;
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
    const stored = await kv.get(KEY_CHECK_KEY);
    if (stored !== undefined) return verify(stored, key, context, kv.namespace, logger);
    if (!legacyChecked) {
      await verifyAgainstSealedOrgKeys(kv, key, logger, now);
      legacyChecked = true;
    }
    const check = { v: CHECK_VERSION, sealed: key.seal(PLAINTEXT, context), createdAt: now().toISOString() };
    // Set-if-absent: two replicas starting at once cannot both write; the loser reads and verifies.
    if ((await kv.write(KEY_CHECK_KEY, check, null)) === 'written') {
      logger.info({ keyId: key.id }, 'store key check written');
      return;
    }
  }
  // Written by another process and gone again each time we looked: not something to start on.
  logger.error({ storeKey: KEY_CHECK_KEY }, 'the store key check kept changing while it was being written');
  throw new StoreError('unavailable');
}

function verify(stored: unknown, key: EncryptionKey, context: string, namespace: string, logger: Logger): void {
  const parsed = stored instanceof UnreadableValue ? undefined : checkSchema.safeParse(stored);
  if (!parsed?.success) throw unreadableCheck(namespace, logger, 'it is not a key check value');
  let opened: string;
  try {
    opened = key.unseal(parsed.data.sealed, context);
  } catch (error) {
    if (error instanceof StoreError && error.kind === 'key_mismatch') {
      throw mismatch(logger, key, keyIdOf(parsed.data.sealed), 'the key check value');
    }
    throw unreadableCheck(namespace, logger, 'it does not open');
  }
  if (opened !== PLAINTEXT) throw unreadableCheck(namespace, logger, 'it holds another value');
}

/**
 * A store from before the check: the first sealed Viam API key that gives a verdict decides. Keys
 * that are damaged (the right key ID, but they do not open) give none, and neither does a store
 * with no org at all; then the running key becomes the store's key.
 */
async function verifyAgainstSealedOrgKeys(kv: Kv, key: EncryptionKey, logger: Logger, now: () => Date) {
  // The repository's own reads, so the record layout and seal contexts are not repeated here.
  const workspaces = new WorkspaceRepository(kv, key, new KeyedMutex(), now, logger);
  for (const workspaceKey of await kv.listWorkspaces(undefined, LEGACY_SCAN_LIMIT)) {
    const ref = parseWorkspaceKey(workspaceKey);
    if (!ref) continue;
    const workspace = await workspaces.get(ref).catch((error: unknown) => skipCorrupt(error));
    for (const org of workspace?.orgs ?? []) {
      try {
        await workspaces.revealApiKey(ref, org.label);
        logger.info({ keyId: key.id }, 'ENCRYPTION_KEY opens the saved Viam API keys; writing the store key check');
        return;
      } catch (error) {
        if (error instanceof StoreError && error.kind === 'key_mismatch') {
          throw mismatch(logger, key, undefined, 'a saved Viam API key');
        }
        skipCorrupt(error);
      }
    }
  }
}

function skipCorrupt(error: unknown): undefined {
  if (error instanceof StoreError && error.kind === 'corrupt') return undefined;
  throw error;
}

function mismatch(logger: Logger, key: EncryptionKey, storeKeyId: string | undefined, what: string): StoreError {
  // Key IDs are a hash prefix of each key: they tell the operator which replicas differ, and reveal nothing.
  logger.error(
    { keyId: key.id, ...(storeKeyId ? { storeKeyId } : {}), checked: what },
    'ENCRYPTION_KEY is not the key this store was sealed with; refusing to start',
  );
  return new StoreError('key_mismatch', STORE_KEY_MISMATCH);
}

function unreadableCheck(namespace: string, logger: Logger, reason: string): StoreError {
  logger.error({ storeKey: KEY_CHECK_KEY, reason }, 'the store key check value is unreadable');
  return new StoreError(
    'corrupt',
    `The store's key check value (${namespace}:${KEY_CHECK_KEY}) is damaged: if ENCRYPTION_KEY is the key every replica uses, delete that entry and start again, and it will be checked against the saved Viam API keys.`,
  );
}

/** The key ID a sealed value names (see seal.ts: `v1.<keyId>.…`); safe to log. */
function keyIdOf(sealed: string): string | undefined {
  const id = sealed.split('.')[1];
  return id && /^[0-9a-f]{8}$/.test(id) ? id : undefined;
}

/**
 * Key rotation, last step: the check value sealed again with the current key, so a process that has
 * only the old key from then on stops at start instead of meeting values it cannot open. True when it
 * changed.
 */
export async function resealKeyCheck(kv: Kv, key: EncryptionKey, logger: Logger): Promise<boolean> {
  const context = `store-key-check|${kv.namespace}`;
  return compareAndSet(
    kv,
    KEY_CHECK_KEY,
    (stored) => {
      const parsed = checkSchema.safeParse(stored);
      if (!parsed.success || key.sealedWithThis(parsed.data.sealed)) return { next: UNCHANGED, result: false };
      return { next: { ...parsed.data, sealed: key.reseal(parsed.data.sealed, context) }, result: true };
    },
    logger,
  );
}
