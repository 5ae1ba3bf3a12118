import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import type { BackendDriver, ClaimDriver, StoredClaim } from './driver';
import { type KeyvCodec, physicalKey, stripNamespace } from './shared';

/** Claims live beside the records, in their own sub-space, as JSON strings with a server-side expiry. */
const CLAIMS_SPACE = 'claims:';

/** Deletes a claim only when it still belongs to the caller; a plain DEL could remove a successor's claim. */
const RELEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local ok, claim = pcall(cjson.decode, current)
if ok and type(claim) == 'table' and claim.owner == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const SCAN_BATCH = 500;

export async function openRedisDriver(options: {
  url: string;
  namespace: string;
  codec: KeyvCodec;
  onError: (error: unknown) => void;
}): Promise<BackendDriver> {
  const { namespace } = options;
  let connectedOnce = false;
  const client = createClient({
    url: options.url,
    // Commands fail at once while the connection is down, so callers get 'unavailable' instead of hanging.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      // Give up quickly on the first connect (a wrong STORE_URL should stop start-up); afterwards keep retrying.
      reconnectStrategy: (retries, cause) => {
        // A fresh Error, not `cause`: the client tests `instanceof Error`, which fails for errors from another realm (jest).
        if (!connectedOnce) return retries >= 2 ? new Error(`gave up connecting to Redis: ${cause.message}`) : 200;
        return Math.min(100 * 2 ** retries, 5_000);
      },
    },
  });
  client.on('error', options.onError);
  try {
    await client.connect();
  } catch (error) {
    if (client.isOpen) client.destroy();
    throw error;
  }
  connectedOnce = true;

  // Keyv must not prefix again: the adapter adds `<namespace>:` itself (the README's double-prefix warning).
  const adapter = new KeyvRedis(client, { keyPrefixSeparator: ':', throwOnErrors: true, throwOnConnectError: true });
  const keyv = new Keyv<unknown>({
    store: adapter,
    namespace,
    useKeyPrefix: false,
    throwOnErrors: true,
    ...options.codec,
  });
  const full = (key: string) => physicalKey(namespace, key);
  const claimKey = (key: string) => full(`${CLAIMS_SPACE}${key}`);

  async function scan(physicalPrefix: string): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const reply = await client.scan(cursor, { MATCH: `${escapeGlob(physicalPrefix)}*`, COUNT: SCAN_BATCH });
      cursor = String(reply.cursor);
      for (const key of reply.keys) found.add(String(key));
    } while (cursor !== '0');
    // SCAN may return a key more than once; the set makes the count honest.
    return [...found];
  }

  async function unlinkAll(keys: string[]): Promise<number> {
    let removed = 0;
    for (let start = 0; start < keys.length; start += SCAN_BATCH) {
      removed += Number(await client.unlink(keys.slice(start, start + SCAN_BATCH)));
    }
    return removed;
  }

  const claims: ClaimDriver = {
    async tryClaim(key: string, claim: StoredClaim, ttlMs: number) {
      // Redis's own clock expires the claim, so a crashed owner's claim frees itself on every replica at once.
      const reply = await client.set(claimKey(key), JSON.stringify(claim), {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      });
      return reply === 'OK';
    },
    async release(key: string, owner: string) {
      const reply = await client.eval(RELEASE_SCRIPT, { keys: [claimKey(key)], arguments: [owner] });
      return Number(reply) > 0;
    },
    async read(key: string) {
      const raw = await client.get(claimKey(key));
      return raw === null ? undefined : parseClaim(String(raw));
    },
    async deleteByPrefix(prefix: string) {
      return unlinkAll(await scan(claimKey(prefix)));
    },
  };

  return {
    kind: 'redis',
    keyv,
    claims,
    async listKeys(prefix: string) {
      return (await scan(full(prefix))).map((key) => stripNamespace(namespace, key));
    },
    async deleteByPrefix(prefix: string) {
      return unlinkAll(await scan(full(prefix)));
    },
    async readRaw(key: string) {
      const raw = await client.get(full(key));
      return raw === null ? undefined : String(raw);
    },
    async writeRaw(key: string, raw: string) {
      await client.set(full(key), raw);
    },
    async ping() {
      await client.ping();
    },
    async close() {
      // close() lets queued commands finish; while reconnecting there is nothing to finish, so stop outright.
      if (client.isReady) await client.close();
      else if (client.isOpen) client.destroy();
    },
  };
}

function parseClaim(raw: string): StoredClaim | undefined {
  try {
    const value = JSON.parse(raw) as Partial<StoredClaim>;
    if (typeof value.owner !== 'string') return undefined;
    return { owner: value.owner, claimedAtMs: Number(value.claimedAtMs), expiresAtMs: Number(value.expiresAtMs) };
  } catch {
    return undefined;
  }
}

/** Our keys never hold glob characters, but a prefix is escaped anyway so a pattern can only match literally. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
