import {createHash} from 'node:crypto';
import type {RedisKeys} from './redis-keys.js';

/**
 * The job's Lua scripts. Each runs atomically on the server, so every state change and the counts
 * that describe it move together (a count changed outside the script that changed the state can
 * drift: crawlee-python#1873). Deadlines come from the server's clock (TIME; scripts replicate as
 * effects since Redis 7). Every script gets the same fixed KEYS (fixedKeys below); COMMIT appends
 * the seen-set buckets its children touch.
 *
 * A lease record is "owner|token|leasedAt|score": the owner is one incarnation of a worker
 * (name#epoch), the token is unique to this lease, and the score puts the request back where it was.
 */

export function fixedKeys(keys: RedisKeys, worker: string): string[] {
  return [
    keys.meta, keys.seq, keys.pending, keys.requests, keys.sizes, keys.leaseDeadlines, keys.leaseOwners,
    keys.applied, keys.refused, keys.workers, keys.alive, keys.starting, keys.failed, keys.counters,
    keys.state, keys.itemWriters, keys.items(worker), keys.keepers,
  ];
}

const PRELUDE = `
local META, SEQ, PENDING, REQ, SIZES, DEADLINES, OWNERS = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local APPLIED, REFUSED, WORKERS, ALIVE, STARTING, FAILED, COUNTERS = KEYS[8], KEYS[9], KEYS[10], KEYS[11], KEYS[12], KEYS[13], KEYS[14]
local STATE, WRITERS, ITEMS, KEEPERS = KEYS[15], KEYS[16], KEYS[17], KEYS[18]
local TWO32 = 4294967296
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function num(x) return string.format('%.17g', x) end
local function prio_of(score)
  local priority = -math.floor(score / TWO32)
  if priority == 0 then return 0 end
  return priority
end
local function score_of(rec) return tonumber(string.match(rec, '^[^|]*|[^|]*|[^|]*|(.*)$')) end
local function requeue(id, score)
  redis.call('ZADD', PENDING, num(score), id)
  redis.call('HINCRBY', SIZES, prio_of(score), 1)
end
local function reclaim(now, max)
  local ids = redis.call('ZRANGEBYSCORE', DEADLINES, '-inf', now, 'LIMIT', 0, max)
  for _, id in ipairs(ids) do
    local rec = redis.call('HGET', OWNERS, id)
    redis.call('ZREM', DEADLINES, id)
    redis.call('HDEL', OWNERS, id)
    if rec then requeue(id, score_of(rec)) end
  end
  if #ids > 0 then redis.call('HINCRBY', COUNTERS, 'expired', #ids) end
  return #ids
end
-- A job whose meta hash lost its spider is gone (Redis restarted without persistence, FLUSHDB, an eviction).
local function gone() return redis.call('HEXISTS', META, 'spider') == 0 end
-- An incarnation a later OPEN of its name replaced (this process stalled and was restarted elsewhere).
local function replaced(owner) return redis.call('HEXISTS', WORKERS, owner) == 0 end
-- An incarnation's own lease length, from the record OPEN wrote (workers may run with different leases).
local function lease_of(owner, fallback)
  local info = redis.call('HGET', WORKERS, owner)
  if not info then return fallback end
  local ok, decoded = pcall(cjson.decode, info)
  if not ok or type(decoded) ~= 'table' then return fallback end
  return tonumber(decoded.leaseMs) or fallback
end
local function owns(id, owner, token)
  local rec = redis.call('HGET', OWNERS, id)
  if not rec then return nil end
  local expect = owner .. '|' .. token .. '|'
  if string.sub(rec, 1, #expect) ~= expect then return nil end
  return rec
end
`;

/**
 * For scripts that grow nothing (they renew deadlines, move leases back, remove records): they keep
 * running when Redis is out of memory. Without it Redis refuses a script whose first write is
 * ZADD, and an out-of-memory spell longer than the lease expired every worker's leases at once.
 * The flags line must open the script (Redis 7).
 */
const SHRINKS_ONLY = '#!lua flags=allow-oom\n';

/**
 * OPEN spider fingerprinter order buckets name info version dirId keepAlive
 * Creates the job or checks it is the same spider and fingerprinter, then starts a new incarnation
 * of this worker name. An earlier incarnation from the same worker directory is dead (this process
 * holds that directory's lock); one from another directory that heartbeated within its own lease
 * is a live process with the same name, and this one is refused: two live processes sharing a name
 * would share its sequence numbers, and one's commits would be taken for the other's retries. The
 * earlier incarnations are forgotten (their later calls are answered 'taken'), their leases given
 * back at once, and a paused or finished job resumes. A keep-alive worker (REDIS_KEEP_ALIVE) is
 * recorded as one.
 * Reply: {'ok', owner, fresh, previousState, order, buckets, lastSeq, requeued},
 * {'foreign', what, theirs} or {'taken', owner, info, msSinceBeat}.
 */
const OPEN = `${PRELUDE}
local spider, fingerprinter, order, buckets, name, info, version, dirId, keepAlive = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7], ARGV[8], ARGV[9]
local now = now_ms()
local fresh = 0
local theirs = redis.call('HGET', META, 'spider')
if theirs then
  if theirs ~= spider then return {'foreign', 'spider', theirs} end
  local theirFp = redis.call('HGET', META, 'fingerprinter')
  if theirFp ~= fingerprinter then return {'foreign', 'fingerprinter', theirFp} end
end
local prefix = name .. '#'
local earlier = {}
local registered = redis.call('HGETALL', WORKERS)
for i = 1, #registered, 2 do
  local other, otherInfo = registered[i], registered[i + 1]
  if string.sub(other, 1, #prefix) == prefix then
    earlier[#earlier + 1] = other
    local ok, decoded = pcall(cjson.decode, otherInfo)
    if not ok or type(decoded) ~= 'table' then decoded = {} end
    local beat = tonumber(redis.call('ZSCORE', ALIVE, other) or '0')
    local lease = tonumber(decoded.leaseMs) or 60000
    if decoded.dir ~= dirId and now - beat < lease then return {'taken', other, otherInfo, now - beat} end
  end
end
if not theirs then
  redis.call('HSET', META, 'spider', spider, 'fingerprinter', fingerprinter, 'order', order, 'buckets', buckets,
    'state', 'running', 'created', now, 'version', version, 'seen', 0)
  fresh = 1
end
local previous = redis.call('HGET', META, 'state')
if previous ~= 'running' then redis.call('HSET', META, 'state', 'running') end
local requeued = 0
local all = redis.call('HGETALL', OWNERS)
for i = 1, #all, 2 do
  local id, rec = all[i], all[i + 1]
  if string.sub(rec, 1, #prefix) == prefix then
    redis.call('ZREM', DEADLINES, id)
    redis.call('HDEL', OWNERS, id)
    requeue(id, score_of(rec))
    requeued = requeued + 1
  end
end
local members = redis.call('SMEMBERS', STARTING)
for _, member in ipairs(members) do
  if string.sub(member, 1, #prefix) == prefix then redis.call('SREM', STARTING, member) end
end
for _, other in ipairs(earlier) do
  redis.call('HDEL', WORKERS, other)
  redis.call('ZREM', ALIVE, other)
  redis.call('SREM', KEEPERS, other)
end
-- The refused commits of earlier runs of this name: no retry of theirs can come any more (they are
-- answered 'taken'), and this run's numbers start above them.
local refusedPrefix = name .. ':'
for _, cid in ipairs(redis.call('SMEMBERS', REFUSED)) do
  if string.sub(cid, 1, #refusedPrefix) == refusedPrefix then redis.call('SREM', REFUSED, cid) end
end
local owner = name .. '#' .. redis.call('INCR', SEQ)
redis.call('HSET', WORKERS, owner, info)
redis.call('ZADD', ALIVE, now, owner)
redis.call('SADD', STARTING, owner)
if keepAlive == '1' then redis.call('SADD', KEEPERS, owner) end
local lastSeq = redis.call('HGET', APPLIED, name) or '0'
return {'ok', owner, fresh, previous or 'running', redis.call('HGET', META, 'order'), redis.call('HGET', META, 'buckets'), lastSeq, requeued}
`;

/**
 * LEASE owner n ttl
 * Gives expired leases back first, then leases up to n requests, best first.
 * Reply: {state, pendingLeft, id1, token1, priority1, payload1, …}; state 'gone' when the job vanished,
 * 'taken' when a later incarnation of this worker's name replaced this one.
 */
const LEASE = `${PRELUDE}
local owner, n, ttl = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
if gone() then return {'gone', 0} end
if replaced(owner) then return {'taken', 0} end
local state = redis.call('HGET', META, 'state')
local now = now_ms()
redis.call('ZADD', ALIVE, now, owner)
if state == 'paused' then return {'paused', 0} end
reclaim(now, 1000)
local out = {state or 'running', 0}
if n > 0 then
  local popped = redis.call('ZPOPMIN', PENDING, n)
  for i = 1, #popped, 2 do
    local id, score = popped[i], tonumber(popped[i + 1])
    local token = redis.call('INCR', SEQ)
    redis.call('ZADD', DEADLINES, now + ttl, id)
    redis.call('HSET', OWNERS, id, owner .. '|' .. token .. '|' .. now .. '|' .. num(score))
    local priority = prio_of(score)
    redis.call('HINCRBY', SIZES, priority, -1)
    out[#out + 1] = id
    out[#out + 1] = token
    out[#out + 1] = priority
    out[#out + 1] = redis.call('HGET', REQ, id) or ''
  end
end
out[2] = redis.call('ZCARD', PENDING)
return out
`;

/**
 * COMMIT owner name count, then per commit:
 *   seq nLeases (id token)* clearFailed nFailed (reason payload)* nItems itemsJson stateOp stateBytes nChildren
 *   (flags priority bucketKeyIndex field payload)*
 * Each commit is one unit: every lease it completes must still be this owner's, else it is refused
 * and writes nothing; a commit applied before (a retry after a lost reply) is answered 'already'.
 * Every argument is checked before the first write, because Redis keeps the writes of a script
 * that fails midway: a commit with a bad value (a NaN priority) is answered 'bad' and writes
 * nothing, and a layout that cannot be read fails the whole call before anything is written.
 * Child flags: f = filter duplicates, r = record the fingerprint, p = a payload to queue.
 * Reply: per commit, {status, addedFlags} (for 'bad', the second field says what is wrong); 'gone'
 * or 'taken' (and nothing written) when the job vanished or this incarnation was replaced.
 */
const COMMIT = `${PRELUDE}
local owner, name, count = ARGV[1], ARGV[2], tonumber(ARGV[3])
local function finite(x) return x ~= nil and x == x and x ~= math.huge and x ~= -math.huge end
local function whole(x) return finite(x) and x >= 0 and x == math.floor(x) end
local function malformed(c) return redis.error_reply('ERR dragline COMMIT: commit ' .. c .. ' is malformed; nothing was written') end
if not whole(count) then return malformed(0) end
local commits = {}
local pos = 4
for c = 1, count do
  local e = {seq = tonumber(ARGV[pos]), nl = tonumber(ARGV[pos + 1])}
  if not whole(e.seq) or not whole(e.nl) then return malformed(c) end
  e.leaseAt = pos + 2
  pos = e.leaseAt + 2 * e.nl
  e.clear, e.nf = ARGV[pos], tonumber(ARGV[pos + 1])
  if not whole(e.nf) then return malformed(c) end
  e.failedAt = pos + 2
  pos = e.failedAt + 2 * e.nf
  e.nItems, e.itemsJson, e.stateOp, e.stateBytes, e.nc = tonumber(ARGV[pos]), ARGV[pos + 1], ARGV[pos + 2], ARGV[pos + 3], tonumber(ARGV[pos + 4])
  if not whole(e.nItems) or not whole(e.nc) then return malformed(c) end
  e.childAt = pos + 5
  pos = e.childAt + 5 * e.nc
  if pos - 1 > #ARGV then return malformed(c) end
  for i = 0, e.nc - 1 do
    local at = e.childAt + 5 * i
    local priority, bucketIndex = tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2])
    if not finite(priority) then
      e.bad = 'child request ' .. (i + 1) .. ' has priority ' .. ARGV[at + 1] .. ' (a priority must be a finite number)'
      break
    end
    if not whole(bucketIndex) or bucketIndex > #KEYS then return malformed(c) end
  end
  commits[c] = e
end
if pos - 1 ~= #ARGV then return malformed(count) end
if gone() then return 'gone' end
if replaced(owner) then return 'taken' end
local lifo = redis.call('HGET', META, 'order') ~= 'fifo'
local applied = tonumber(redis.call('HGET', APPLIED, name) or '0')
local highest = applied
local out = {}
local pages, failedCount, enqueued, seenAdded, items = 0, 0, 0, 0, 0
for c = 1, count do
  local e = commits[c]
  local seq, nl, leaseAt, clear, nf, failedAt = e.seq, e.nl, e.leaseAt, e.clear, e.nf, e.failedAt
  local nItems, itemsJson, stateOp, stateBytes, nc, childAt = e.nItems, e.itemsJson, e.stateOp, e.stateBytes, e.nc, e.childAt
  local cid = name .. ':' .. seq
  local status = 'ok'
  if seq <= applied and redis.call('SISMEMBER', REFUSED, cid) == 0 then
    status = 'already'
  elseif e.bad then
    status = 'bad'
  else
    for i = 0, nl - 1 do
      if not owns(ARGV[leaseAt + 2 * i], owner, ARGV[leaseAt + 2 * i + 1]) then status = 'refused' break end
    end
  end
  local added = ''
  if status == 'bad' then
    added = e.bad
  elseif status == 'already' then
    -- The first run's answer was lost with its reply. A child kept in the worker's memory (not
    -- recorded) gets the same answer again, else the worker would drop it; a recorded fingerprint
    -- is now seen either way, so whether it was new then is not known: '0'.
    for i = 0, nc - 1 do
      local at = childAt + 5 * i
      local flags, bucketIndex, field = ARGV[at], tonumber(ARGV[at + 2]), ARGV[at + 3]
      local new = '1'
      if bucketIndex > 0 then
        if string.find(flags, 'r', 1, true) then
          new = '0'
        elseif string.find(flags, 'f', 1, true) and redis.call('HEXISTS', KEYS[bucketIndex], field) == 1 then
          new = '0'
        end
      end
      added = added .. new
    end
  elseif status == 'refused' then
    redis.call('SADD', REFUSED, cid)
    redis.call('HINCRBY', COUNTERS, 'refused', 1)
    -- Its number is used: the next incarnation of this name must not send it again for another commit.
    if seq > highest then highest = seq end
  elseif status == 'ok' then
    for i = 0, nl - 1 do
      local id = ARGV[leaseAt + 2 * i]
      redis.call('HDEL', OWNERS, id)
      redis.call('ZREM', DEADLINES, id)
      redis.call('HDEL', REQ, id)
      pages = pages + 1
    end
    if clear == '1' then redis.call('DEL', FAILED) end
    for i = 0, nf - 1 do
      -- The reason's length first: a reason may span lines (a browser's call log), a payload holds any byte.
      local reason = ARGV[failedAt + 2 * i]
      redis.call('RPUSH', FAILED, #reason .. '\\n' .. reason .. ARGV[failedAt + 2 * i + 1])
      failedCount = failedCount + 1
    end
    for i = 0, nc - 1 do
      local at = childAt + 5 * i
      local flags, priority, bucketIndex, field, payload = ARGV[at], tonumber(ARGV[at + 1]), tonumber(ARGV[at + 2]), ARGV[at + 3], ARGV[at + 4]
      local new = true
      if bucketIndex > 0 then
        local bucket = KEYS[bucketIndex]
        local filter, record = string.find(flags, 'f', 1, true), string.find(flags, 'r', 1, true)
        if record then
          local fresh = redis.call('HSETNX', bucket, field, '')
          if fresh == 1 then seenAdded = seenAdded + 1 elseif filter then new = false end
        elseif filter and redis.call('HEXISTS', bucket, field) == 1 then
          new = false
        end
      end
      if new and string.find(flags, 'p', 1, true) then
        local id = redis.call('INCR', SEQ)
        local offset = id % TWO32
        if lifo then offset = TWO32 - 1 - offset end
        local score = -priority * TWO32 + offset
        redis.call('HSET', REQ, id, payload)
        requeue(id, score)
        enqueued = enqueued + 1
      end
      added = added .. (new and '1' or '0')
    end
    if nItems > 0 then
      redis.call('RPUSH', ITEMS, seq .. '\\n' .. itemsJson)
      items = items + nItems
    end
    if stateOp == 's' then redis.call('HSET', STATE, name, stateBytes) elseif stateOp == 'd' then redis.call('HDEL', STATE, name) end
    if seq > highest then highest = seq end
  end
  out[#out + 1] = {status, added}
end
if highest > applied then redis.call('HSET', APPLIED, name, highest) end
if items > 0 then
  redis.call('SADD', WRITERS, name)
  redis.call('HINCRBY', COUNTERS, 'items', items)
end
if pages > 0 then redis.call('HINCRBY', COUNTERS, 'pages', pages) end
if failedCount > 0 then redis.call('HINCRBY', COUNTERS, 'failed', failedCount) end
if enqueued > 0 then redis.call('HINCRBY', COUNTERS, 'enqueued', enqueued) end
if seenAdded > 0 then redis.call('HINCRBY', META, 'seen', seenAdded) end
return out
`;

/**
 * BEAT owner ttl (id token)*: renews this owner's leases among those named and its heartbeat.
 * Reply: {state, renewed}; state 'gone' or 'taken' as for LEASE.
 */
const BEAT = `${SHRINKS_ONLY}${PRELUDE}
local owner, ttl = ARGV[1], tonumber(ARGV[2])
if gone() then return {'gone', 0} end
if replaced(owner) then return {'taken', 0} end
local now = now_ms()
redis.call('ZADD', ALIVE, now, owner)
local renewed = 0
for i = 3, #ARGV, 2 do
  if owns(ARGV[i], owner, ARGV[i + 1]) then
    redis.call('ZADD', DEADLINES, 'XX', now + ttl, ARGV[i])
    renewed = renewed + 1
  end
end
return {redis.call('HGET', META, 'state') or 'running', renewed}
`;

/** RELEASE owner (id token)*: gives this owner's leases back to the front of their priority now. Reply: count. */
const RELEASE = `${SHRINKS_ONLY}${PRELUDE}
local owner = ARGV[1]
local released = 0
for i = 2, #ARGV, 2 do
  local rec = owns(ARGV[i], owner, ARGV[i + 1])
  if rec then
    redis.call('ZREM', DEADLINES, ARGV[i])
    redis.call('HDEL', OWNERS, ARGV[i])
    requeue(ARGV[i], score_of(rec))
    released = released + 1
  end
end
return released
`;

/**
 * RECLAIM owner (token)*: gives back this owner's leases whose tokens are not among those named.
 * After a LEASE whose reply was lost (the server ran it, the connection broke), the worker holds
 * leases it never learned of: unrenewed and unreleased, they would hide their requests until they
 * expire. The worker runs this before it sends the LEASE again.
 * Reply: count.
 */
const RECLAIM = `${SHRINKS_ONLY}${PRELUDE}
local owner = ARGV[1]
local known = {}
for i = 2, #ARGV do known[ARGV[i]] = true end
local prefix = owner .. '|'
local reclaimed = 0
local all = redis.call('HGETALL', OWNERS)
for i = 1, #all, 2 do
  local id, rec = all[i], all[i + 1]
  if string.sub(rec, 1, #prefix) == prefix then
    local token = string.match(rec, '^[^|]*|([^|]*)|')
    if not known[token] then
      redis.call('ZREM', DEADLINES, id)
      redis.call('HDEL', OWNERS, id)
      requeue(id, score_of(rec))
      reclaimed = reclaimed + 1
    end
  end
end
return reclaimed
`;

/**
 * FINISH owner ttl keepAlive: this owner is done reading start(). The job is finished when, at
 * this instant, nothing is pending, nothing is leased (expired leases were given back first) and
 * no live worker is still reading start() (live: its heartbeat is younger than its own lease, not
 * the caller's). While a live worker keeps the job alive (REDIS_KEEP_ALIVE), the others stop
 * ('finished' for them: a worker that fed new start URLs is done) but the job stays running for it.
 * Reply: 'finished', 'paused', 'running', or 'gone' / 'taken' as for LEASE.
 */
const FINISH = `${PRELUDE}
local owner, ttl, keepAlive = ARGV[1], tonumber(ARGV[2]), ARGV[3]
if gone() then return 'gone' end
if replaced(owner) then return 'taken' end
redis.call('SREM', STARTING, owner)
local state = redis.call('HGET', META, 'state')
if keepAlive == '1' and state == 'finished' then
  -- A keep-alive worker never finishes: the job was marked so while this worker's heartbeat looked stale.
  redis.call('HSET', META, 'state', 'running')
  redis.call('SADD', KEEPERS, owner)
  state = 'running'
end
if state == 'finished' or state == 'paused' then return state end
local now = now_ms()
redis.call('ZADD', ALIVE, now, owner)
reclaim(now, 1000)
for _, member in ipairs(redis.call('SMEMBERS', STARTING)) do
  local beat = redis.call('ZSCORE', ALIVE, member)
  if not beat or tonumber(beat) < now - lease_of(member, ttl) then redis.call('SREM', STARTING, member) end
end
if keepAlive == '1' then return 'running' end
if redis.call('ZCARD', PENDING) == 0 and redis.call('ZCARD', DEADLINES) == 0 and redis.call('SCARD', STARTING) == 0 then
  local kept = false
  for _, member in ipairs(redis.call('SMEMBERS', KEEPERS)) do
    local beat = redis.call('ZSCORE', ALIVE, member)
    if not beat or tonumber(beat) < now - lease_of(member, ttl) then redis.call('SREM', KEEPERS, member) else kept = true end
  end
  if not kept then redis.call('HSET', META, 'state', 'finished') end
  return 'finished'
end
return 'running'
`;

/**
 * LEAVE owner name ephemeral: this incarnation stops (its leases were released or committed). A
 * name no later run will have (a worker without feeds is named after its pid) takes its sequence
 * mark, spider.state and refused ids with it; its items stay for `job export`.
 */
const LEAVE = `${SHRINKS_ONLY}${PRELUDE}
redis.call('SREM', STARTING, ARGV[1])
redis.call('SREM', KEEPERS, ARGV[1])
redis.call('ZREM', ALIVE, ARGV[1])
redis.call('HDEL', WORKERS, ARGV[1])
if ARGV[3] == '1' then
  local name = ARGV[2]
  redis.call('HDEL', APPLIED, name)
  redis.call('HDEL', STATE, name)
  local prefix = name .. ':'
  for _, cid in ipairs(redis.call('SMEMBERS', REFUSED)) do
    if string.sub(cid, 1, #prefix) == prefix then redis.call('SREM', REFUSED, cid) end
  end
end
return 1
`;

/** SET_STATE state: pause or resume the whole job (dragline job pause); a finished job stays finished. Reply: the state before. */
const SET_STATE = `${PRELUDE}
local before = redis.call('HGET', META, 'state')
if not before then return false end
if before ~= 'finished' or ARGV[1] ~= 'running' then redis.call('HSET', META, 'state', ARGV[1]) end
return before
`;

export interface RedisScript {
  name: string;
  source: string;
  sha: string;
}

function script(name: string, source: string): RedisScript {
  return {name, source, sha: createHash('sha1').update(source).digest('hex')};
}

export const SCRIPTS = {
  open: script('OPEN', OPEN),
  lease: script('LEASE', LEASE),
  commit: script('COMMIT', COMMIT),
  beat: script('BEAT', BEAT),
  release: script('RELEASE', RELEASE),
  reclaim: script('RECLAIM', RECLAIM),
  finish: script('FINISH', FINISH),
  leave: script('LEAVE', LEAVE),
  setState: script('SET_STATE', SET_STATE),
};
