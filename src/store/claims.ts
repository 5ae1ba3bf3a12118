import { StoreError } from './errors';
import { checkedLength } from './keys';
import type { Kv } from './keyv';

/**
 * Exactly-once work across replicas: the first caller to claim a key wins until it releases the
 * claim or the claim expires. The backend decides atomically (Redis SET NX PX, an upsert guarded by
 * expiry in SQL), so two processes can never both get true for a live claim.
 *
 * Expiry is judged by Redis' clock on Redis and by the injected clock on SQL backends. Keys built with
 * workspaceScopedKey() are removed by deleteWorkspace.
 */

export interface ClaimRecord {
  key: string;
  owner: string;
  claimedAt: Date;
  expiresAt: Date;
}

const CLAIM_KEY = /^[A-Za-z0-9._@+-][A-Za-z0-9._@+:/-]*$/;
const MAX_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export class Claims {
  constructor(
    private readonly kv: Kv,
    private readonly now: () => Date,
  ) {}

  /** True only for the first caller until the claim is released or has expired. */
  async claim(key: string, owner: string, ttlMs: number): Promise<boolean> {
    assertClaimKey(key);
    assertOwner(owner);
    if (!Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_TTL_MS) {
      throw new StoreError('invalid', 'A claim lasts a whole number of milliseconds, up to 30 days.');
    }
    const nowMs = this.now().getTime();
    return this.kv.claims.tryClaim(key, { owner, claimedAtMs: nowMs, expiresAtMs: nowMs + ttlMs }, ttlMs, nowMs);
  }

  /** Gives up a claim early; true when it was held by `owner`. Someone else's claim is left alone. */
  async release(key: string, owner: string): Promise<boolean> {
    assertClaimKey(key);
    assertOwner(owner);
    return this.kv.claims.release(key, owner);
  }

  /** The live claim on `key`, if any. */
  async get(key: string): Promise<ClaimRecord | undefined> {
    assertClaimKey(key);
    const stored = await this.kv.claims.read(key, this.now().getTime());
    if (stored === undefined) return undefined;
    return {
      key,
      owner: stored.owner,
      claimedAt: new Date(stored.claimedAtMs),
      expiresAt: new Date(stored.expiresAtMs),
    };
  }
}

function assertClaimKey(key: string): void {
  if (!CLAIM_KEY.test(key)) {
    throw new StoreError('invalid', 'A claim key is letters, digits and . _ @ + - : /');
  }
  checkedLength(key);
}

function assertOwner(owner: string): void {
  if (owner.length === 0 || owner.length > 200) {
    throw new StoreError('invalid', 'A claim owner is a non-empty name of at most 200 characters.');
  }
}
