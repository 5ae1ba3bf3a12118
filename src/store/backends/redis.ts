import { createHash } from 'node:crypto';
import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import type { BackendDriver, ClaimDriver, DueDriver, LogDriver, StoredClaim, WriteOutcome } from './driver';
import { type KeyvCodec, physicalKey, prefixBounds, stripNamespace, workspaceOfKey } from './shared';

/**
 * Layout under `<namespace>:`. Records sit at their logical key, as Keyv reads them; our structures
 * sit under `~`, which no logical key can contain:
 *
 *   <key>                    a record (Keyv's `{"value":…}` text)
 *   claims:<key>             a claim, with a server-side expiry
 *   ~keys:<wk>               sorted set (lexical) of the workspace's record keys: listing and deleting one workspace
 *   ~claims:<wk>             sorted set of its claim keys by expiry, pruned as claims are taken
 *   ~owned:<wk>              set of its logs (`L<key>`) and due entries (`D<queue key> <member>`)
 *   ~tomb:<wk>               the uninstall tombstone
 *   ~workspaces              sorted set (lexical) of workspaces with anything stored
 *   ~log:<key>               a list: an append-only log
 *   ~due:<queue>             sorted set of members by due time
 *
 * Every write that needs a check (compare-and-set, the tombstone) is one Lua script, which Redis runs
 * atomically. The scripts touch keys of one workspace only; Redis Cluster is not supported.
 */
const CLAIMS_SPACE = 'claims:';

const WRITE = `
local scoped = #KEYS > 1
if ARGV[4] == '1' and scoped and redis.call('EXISTS', KEYS[2]) == 1 then return 'gone' end
if ARGV[1] ~= 'any' then
  local current = redis.call('GET', KEYS[1])
  if ARGV[1] == 'absent' then
    if current then return 'conflict' end
  elseif current ~= ARGV[2] then
    return 'conflict'
  end
end
if ARGV[4] == '1' then
  redis.call('SET', KEYS[1], ARGV[3])
  if scoped then
    redis.call('ZADD', KEYS[3], 0, ARGV[5])
    redis.call('ZADD', KEYS[4], 0, ARGV[6])
  end
else
  redis.call('DEL', KEYS[1])
  if scoped then redis.call('ZREM', KEYS[3], ARGV[5]) end
end
return 'written'`;

const CLAIM = `
if #KEYS > 1 and redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 0 end
if #KEYS > 1 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[3])
  redis.call('ZADD', KEYS[3], ARGV[4], KEYS[1])
end
return 1`;

/** Deletes a claim only when it still belongs to the caller; a plain DEL could remove a successor's claim. */
const RELEASE = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
local ok, claim = pcall(cjson.decode, current)
if ok and type(claim) == 'table' and claim.owner == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const APPEND = `
if #KEYS > 1 and redis.call('EXISTS', KEYS[2]) == 1 then return 'gone' end
redis.call('RPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[2]), -1)
if #KEYS > 1 then
  redis.call('SADD', KEYS[3], 'L' .. KEYS[1])
  redis.call('ZADD', KEYS[4], 0, ARGV[3])
end
return 'written'`;

const DUE_SET = `
if #KEYS > 1 and redis.call('EXISTS', KEYS[2]) == 1 then return 'gone' end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
if #KEYS > 1 then
  redis.call('SADD', KEYS[3], 'D' .. KEYS[1] .. ' ' .. ARGV[2])
  redis.call('ZADD', KEYS[4], 0, ARGV[3])
end
return 'written'`;

const DUE_REMOVE = `
if #KEYS > 1 then redis.call('SREM', KEYS[2], 'D' .. KEYS[1] .. ' ' .. ARGV[1]) end
return redis.call('ZREM', KEYS[1], ARGV[1])`;

/** Range read and lease in one step: O(log N + taken). XX: a member removed meanwhile is not re-added. */
const DUE_TAKE = `
local items = redis.call('ZRANGE', KEYS[1], '-inf', ARGV[1], 'BYSCORE', 'LIMIT', 0, ARGV[2], 'WITHSCORES')
for i = 1, #items, 2 do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], items[i]) end
return items`;

/** Tombstone first, then everything the workspace's own indexes name; nothing else is read. */
const DELETE_WORKSPACE = `
redis.call('SET', KEYS[1], ARGV[1])
local removed = 0
for _, key in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do removed = removed + redis.call('UNLINK', ARGV[2] .. key) end
for _, key in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do removed = removed + redis.call('UNLINK', key) end
for _, entry in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  local kind, rest = string.sub(entry, 1, 1), string.sub(entry, 2)
  if kind == 'L' then
    removed = removed + redis.call('UNLINK', rest)
  elseif kind == 'D' then
    local space = string.find(rest, ' ', 1, true)
    if space then removed = removed + redis.call('ZREM', string.sub(rest, 1, space - 1), string.sub(rest, space + 1)) end
  end
end
redis.call('UNLINK', KEYS[2], KEYS[3], KEYS[4])
redis.call('ZREM', KEYS[5], ARGV[3])
return removed`;

const MIGRATION_BATCH = 500;

/** The client with this app's connection policy; its type names the connection the helpers below take. */
function createConnection(url: string, hasConnected: () => boolean) {
  return createClient({
    url,
    // Commands fail at once while the connection is down, so callers get 'unavailable' instead of hanging.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      // Give up quickly on the first connect (a wrong STORE_URL should stop start-up); afterwards keep retrying.
      reconnectStrategy: (retries, cause) => {
        // A fresh Error, not `cause`: the client tests `instanceof Error`, which fails for errors from another realm (jest).
        if (!hasConnected()) return retries >= 2 ? new Error(`gave up connecting to Redis: ${cause.message}`) : 200;
        return Math.min(100 * 2 ** retries, 5_000);
      },
    },
  });
}

type RedisConnection = ReturnType<typeof createConnection>;

export async function openRedisDriver(options: {
  url: string;
  namespace: string;
  codec: KeyvCodec;
  onError: (error: unknown) => void;
}): Promise<BackendDriver> {
  const { namespace } = options;
  let connectedOnce = false;
  const client = createConnection(options.url, () => connectedOnce);
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
  const ours = (name: string) => full(`~${name}`);
  const registry = ours('workspaces');
  const claimKey = (key: string) => full(`${CLAIMS_SPACE}${key}`);
  const dueKey = (queue: string) => ours(`due:${queue}`);

  /** Scripts go by SHA; Redis forgets scripts on restart, so NOSCRIPT sends the source once more. */
  function script(source: string) {
    const sha = createHash('sha1').update(source).digest('hex');
    return async (keys: string[], args: Array<string | number>): Promise<unknown> => {
      const call = { keys, arguments: args.map(String) };
      try {
        return await client.evalSha(sha, call);
      } catch (error) {
        if (!String((error as { message?: unknown }).message).startsWith('NOSCRIPT')) throw error;
        return client.eval(source, call);
      }
    };
  }
  const run = {
    write: script(WRITE),
    claim: script(CLAIM),
    release: script(RELEASE),
    append: script(APPEND),
    dueSet: script(DUE_SET),
    dueRemove: script(DUE_REMOVE),
    dueTake: script(DUE_TAKE),
    deleteWorkspace: script(DELETE_WORKSPACE),
  };

  async function write(key: string, next: string | null, expected?: string | null): Promise<WriteOutcome> {
    const workspace = workspaceOfKey(key);
    const keys = [full(key)];
    if (workspace !== undefined) keys.push(ours(`tomb:${workspace}`), ours(`keys:${workspace}`), registry);
    const mode = expected === undefined ? 'any' : expected === null ? 'absent' : 'equal';
    const reply = await run.write(keys, [
      mode,
      expected ?? '',
      next ?? '',
      next === null ? '0' : '1',
      key,
      workspace ?? '',
    ]);
    return String(reply) as WriteOutcome;
  }

  const claims: ClaimDriver = {
    async tryClaim(key: string, claim: StoredClaim, ttlMs: number, nowMs: number) {
      // Redis's own clock expires the claim, so a crashed owner's claim frees itself on every replica at once.
      const workspace = workspaceOfKey(key);
      const keys = [claimKey(key)];
      if (workspace !== undefined) keys.push(ours(`tomb:${workspace}`), ours(`claims:${workspace}`));
      const reply = await run.claim(keys, [JSON.stringify(claim), ttlMs, nowMs, claim.expiresAtMs]);
      return Number(reply) === 1;
    },
    async release(key: string, owner: string) {
      return Number(await run.release([claimKey(key)], [owner])) > 0;
    },
    async read(key: string) {
      const raw = await client.get(claimKey(key));
      return raw === null ? undefined : parseClaim(String(raw));
    },
  };

  const log: LogDriver = {
    async append(key, entry, capacity) {
      const workspace = workspaceOfKey(key);
      const keys = [ours(`log:${key}`)];
      if (workspace !== undefined) keys.push(ours(`tomb:${workspace}`), ours(`owned:${workspace}`), registry);
      return String(await run.append(keys, [entry, capacity, workspace ?? ''])) as 'written' | 'gone';
    },
    async latest(key, count) {
      const entries = await client.lRange(ours(`log:${key}`), -count, -1);
      return entries.map(String).reverse();
    },
  };

  const due: DueDriver = {
    async set(queue, member, dueAtMs) {
      const workspace = workspaceOfKey(member);
      const keys = [dueKey(queue)];
      if (workspace !== undefined) keys.push(ours(`tomb:${workspace}`), ours(`owned:${workspace}`), registry);
      return String(await run.dueSet(keys, [dueAtMs, member, workspace ?? ''])) as 'written' | 'gone';
    },
    async remove(queue, member) {
      const workspace = workspaceOfKey(member);
      const keys = [dueKey(queue)];
      if (workspace !== undefined) keys.push(ours(`owned:${workspace}`));
      return Number(await run.dueRemove(keys, [member])) > 0;
    },
    async take(queue, nowMs, limit, leaseMs) {
      const reply = (await run.dueTake([dueKey(queue)], [nowMs, limit, nowMs + leaseMs])) as unknown[];
      const taken: Array<{ member: string; dueAtMs: number }> = [];
      for (let index = 0; index + 1 < reply.length; index += 2) {
        taken.push({ member: String(reply[index]), dueAtMs: Number(reply[index + 1]) });
      }
      return taken;
    },
    async get(queue, member) {
      const score = await client.zScore(dueKey(queue), member);
      return score === null ? undefined : Number(score);
    },
    async size(queue) {
      return Number(await client.zCard(dueKey(queue)));
    },
  };

  try {
    await migrateToIndexes(client, namespace, ours);
  } catch (error) {
    client.destroy();
    throw error;
  }

  return {
    kind: 'redis',
    keyv,
    claims,
    log,
    due,
    write,
    async listKeys(prefix: string) {
      const workspace = workspaceOfKey(prefix);
      if (workspace === undefined) throw new Error('keys are listed within one workspace');
      const [, high] = prefixBounds(prefix);
      const keys = await client.zRangeByLex(ours(`keys:${workspace}`), `[${prefix}`, `(${high}`);
      return keys.map(String);
    },
    async readRaw(key: string) {
      const raw = await client.get(full(key));
      return raw === null ? undefined : String(raw);
    },
    async listWorkspaces(after: string | undefined, limit: number) {
      const names = await client.zRangeByLex(registry, after === undefined ? '-' : `(${after}`, '+', {
        LIMIT: { offset: 0, count: limit },
      });
      return names.map(String);
    },
    async deleteWorkspace(workspaceKey: string, nowMs: number) {
      const keys = ['tomb', 'keys', 'owned', 'claims'].map((kind) => ours(`${kind}:${workspaceKey}`));
      return Number(await run.deleteWorkspace([...keys, registry], [nowMs, `${namespace}:`, workspaceKey]));
    },
    async reviveWorkspace(workspaceKey: string) {
      return Number(await client.del(ours(`tomb:${workspaceKey}`))) > 0;
    },
    async isDeleted(workspaceKey: string) {
      return Number(await client.exists(ours(`tomb:${workspaceKey}`))) > 0;
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

/**
 * Stores written before the indexes existed are indexed once, by one pass over their keys at start;
 * the marker keeps every later start (and every tick) from reading the keyspace.
 */
async function migrateToIndexes(
  client: RedisConnection,
  namespace: string,
  ours: (name: string) => string,
): Promise<void> {
  const marker = ours('indexed');
  if (Number(await client.exists(marker)) > 0) return;
  const now = Date.now();
  const recordSpace = physicalKey(namespace, 'ws:');
  const claimSpace = physicalKey(namespace, `${CLAIMS_SPACE}ws:`);
  for (const [space, claims] of [
    [recordSpace, false],
    [claimSpace, true],
  ] as const) {
    let cursor = '0';
    do {
      const reply = await client.scan(cursor, { MATCH: `${escapeGlob(space)}*`, COUNT: MIGRATION_BATCH });
      cursor = String(reply.cursor);
      const batch = client.multi();
      for (const physical of reply.keys.map(String)) {
        const logical = stripNamespace(namespace, physical).slice(claims ? CLAIMS_SPACE.length : 0);
        const workspace = workspaceOfKey(logical);
        if (workspace === undefined) continue;
        if (claims) batch.zAdd(ours(`claims:${workspace}`), { score: now + 30 * 24 * 3_600_000, value: physical });
        else batch.zAdd(ours(`keys:${workspace}`), { score: 0, value: logical });
        batch.zAdd(ours('workspaces'), { score: 0, value: workspace });
      }
      await batch.exec();
    } while (cursor !== '0');
  }
  await client.set(marker, String(now));
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
