-- Call state of signaling-service (ADR 0010). One operation per call: a change of a call and the
-- frames that announce it happen atomically and in order, once, whichever instance runs it.
-- KEYS[1] is the prefix of every key and channel (signaling.redis.key-prefix, "sig:" unless
-- configured otherwise); the names below are shown with that default.
--   sig:call:<id>          hash  roomId, media, from, state (ringing|active), createdAt, startedAt
--   sig:call:<id>:p        hash  participant userId -> the socket id of the device in the call
--   sig:call:<id>:r        set   users being rung;  :inv everyone invited;  :joined everyone who joined
--   sig:user:<u>:call      the call a user is in (busy);  sig:room:<r>:call  the room's call
--   sig:participants       zset  "<callId>|<userId>" -> expiry, renewed by the instance holding the socket
--   sig:ringing            zset  callId -> ring deadline
--   sig:events             list  started/ended records, persisted to MySQL by any instance
-- Frames go to channel sig:user:<u> as "<target>|<json>": target is a socket id, or * for every
-- device of the user.
local op, now = ARGV[1], tonumber(ARGV[2])
local P = KEYS[1]

local function key(id, part) return P .. 'call:' .. id .. (part or '') end
local function userCall(u) return P .. 'user:' .. u .. ':call' end
local function userRinging(u) return P .. 'user:' .. u .. ':ringing' end
local function publishText(u, target, text) redis.call('PUBLISH', P .. 'user:' .. u, target .. '|' .. text) end
local function publish(u, target, frame) publishText(u, target, cjson.encode(frame)) end
-- an array even when empty (cjson writes an empty table as {})
local function list(t)
  local q = {}
  for i, v in ipairs(t) do q[i] = cjson.encode(v) end
  return '[' .. table.concat(q, ',') .. ']'
end
-- a JSON object text with one more field whose value is already JSON text
local function with(text, name, valueText)
  local head = string.sub(text, 1, -2)
  return head .. (head == '{' and '"' or ',"') .. name .. '":' .. valueText .. '}'
end
local function failure(code, message, callId) return cjson.encode({error = code, message = message, callId = callId}) end

-- to the device in the call of every participant but `except`
local function toParticipantsText(id, text, except)
  local all = redis.call('HGETALL', key(id, ':p'))
  for i = 1, #all, 2 do
    if all[i] ~= except then publishText(all[i], all[i + 1], text) end
  end
end
local function toParticipants(id, frame, except) toParticipantsText(id, cjson.encode(frame), except) end
-- tells those still being rung, whose ringing stops
local function toRinging(id, frame)
  local text = cjson.encode(frame)
  for _, u in ipairs(redis.call('SMEMBERS', key(id, ':r'))) do
    publishText(u, '*', text)
    redis.call('SREM', userRinging(u), id)
  end
end

local function finish(id, reason)
  local fields = redis.call('HGETALL', key(id))
  local c = {}
  for i = 1, #fields, 2 do c[fields[i]] = fields[i + 1] end
  if not c.roomId then return failure('not_found', 'no such call', id) end
  local ended = {type = 'call.ended', callId = id, reason = reason}
  toParticipants(id, ended, nil)
  toRinging(id, ended)
  for _, u in ipairs(redis.call('HKEYS', key(id, ':p'))) do
    redis.call('ZREM', P .. 'participants', id .. '|' .. u)
    if redis.call('GET', userCall(u)) == id then redis.call('DEL', userCall(u)) end
  end
  if redis.call('GET', P .. 'room:' .. c.roomId .. ':call') == id then redis.call('DEL', P .. 'room:' .. c.roomId .. ':call') end
  redis.call('ZREM', P .. 'ringing', id)
  local record = cjson.encode({event = 'ended', callId = id, roomId = c.roomId, media = c.media, from = c.from,
    createdAt = tonumber(c.createdAt), startedAt = tonumber(c.startedAt), endedAt = now, reason = reason})
  record = with(record, 'joined', list(redis.call('SMEMBERS', key(id, ':joined'))))
  record = with(record, 'invited', list(redis.call('SMEMBERS', key(id, ':inv'))))
  redis.call('RPUSH', P .. 'events', record)
  redis.call('DEL', key(id), key(id, ':p'), key(id, ':r'), key(id, ':inv'), key(id, ':joined'))
  return cjson.encode({ok = 'ended', reason = reason})
end

-- a participant is gone; a call of fewer than two (or of nobody, while still ringing) ends
local function depart(id, user, reason)
  redis.call('HDEL', key(id, ':p'), user)
  redis.call('ZREM', P .. 'participants', id .. '|' .. user)
  if redis.call('GET', userCall(user)) == id then redis.call('DEL', userCall(user)) end
  local left = redis.call('HLEN', key(id, ':p'))
  if left == 0 or (left < 2 and redis.call('HGET', key(id), 'state') == 'active') then return finish(id, reason) end
  toParticipants(id, {type = 'call.participant.left', callId = id, userId = user}, nil)
  return cjson.encode({ok = 'left'})
end

if op == 'invite' then
  -- ARGV: callId, roomId, media, from, socket, participant expiry, ring deadline, members...
  local id, roomId, media, from, sock = ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
  local mine = redis.call('GET', userCall(from))
  if mine then return failure('busy', 'you are already in a call', mine) end
  local current = redis.call('GET', P .. 'room:' .. roomId .. ':call')
  if current then return failure('busy', 'a call is already going on in this room: join it', current) end
  redis.call('HSET', key(id), 'roomId', roomId, 'media', media, 'from', from, 'state', 'ringing', 'createdAt', now)
  redis.call('HSET', key(id, ':p'), from, sock)
  redis.call('SADD', key(id, ':joined'), from)
  redis.call('SET', userCall(from), id)
  redis.call('SET', P .. 'room:' .. roomId .. ':call', id)
  redis.call('ZADD', P .. 'participants', ARGV[8], id .. '|' .. from)
  publish(from, sock, {type = 'call.created', callId = id, roomId = roomId, media = media})
  local incoming = cjson.encode({type = 'call.incoming', callId = id, roomId = roomId, from = from, media = media})
  local invited, rung = {}, 0
  for i = 10, #ARGV do
    local u = ARGV[i]
    if u ~= from then
      table.insert(invited, u)
      redis.call('SADD', key(id, ':inv'), u)
      if not redis.call('GET', userCall(u)) then
        redis.call('SADD', key(id, ':r'), u)
        redis.call('SADD', userRinging(u), id)
        publishText(u, '*', incoming)
        rung = rung + 1
      end
    end
  end
  local started = cjson.encode({event = 'started', callId = id, roomId = roomId, media = media, from = from, createdAt = now})
  redis.call('RPUSH', P .. 'events', with(started, 'invited', list(invited)))
  if rung == 0 then return finish(id, 'busy') end
  redis.call('ZADD', P .. 'ringing', ARGV[9], id)
  return cjson.encode({ok = 'invited', rung = rung})

elseif op == 'enter' then
  -- ARGV: callId, user, socket, participant expiry, max participants, mode (accept|join)
  local id, user, sock, mode = ARGV[3], ARGV[4], ARGV[5], ARGV[8]
  local roomId = redis.call('HGET', key(id), 'roomId')
  if not roomId then return failure('not_found', 'no such call', id) end
  local ringing = redis.call('SISMEMBER', key(id, ':r'), user) == 1
  local bound = redis.call('HGET', key(id, ':p'), user)
  -- answering is for a device that rings; taking a call over (rejoining after a reconnect) is join
  if mode == 'accept' and not ringing then return failure('not_found', 'this call is not ringing for you', id) end
  if not bound then
    local mine = redis.call('GET', userCall(user))
    if mine and mine ~= id then return failure('busy', 'you are already in a call', mine) end
    if redis.call('HLEN', key(id, ':p')) >= tonumber(ARGV[7]) then
      return failure('forbidden', 'the call is full (' .. ARGV[7] .. ' participants at most)', id)
    end
  elseif bound ~= sock then
    -- taken over by another device (or the same client after a reconnect): the old socket is out
    publish(user, bound, {type = 'call.ended', callId = id, reason = 'hangup'})
  end
  local others = {}
  for _, u in ipairs(redis.call('HKEYS', key(id, ':p'))) do if u ~= user then table.insert(others, u) end end
  redis.call('HSET', key(id, ':p'), user, sock)
  redis.call('SADD', key(id, ':joined'), user)
  redis.call('SET', userCall(user), id)
  redis.call('ZADD', P .. 'participants', ARGV[6], id .. '|' .. user)
  if ringing then
    redis.call('SREM', key(id, ':r'), user)
    redis.call('SREM', userRinging(user), id)
    local accepted = {type = 'call.accepted', callId = id, userId = user}
    toParticipants(id, accepted, user)
    -- every device of the accepting user hears it: the others stop ringing
    publish(user, '*', accepted)
  end
  if redis.call('HGET', key(id), 'state') == 'ringing' and #others > 0 then
    redis.call('HSET', key(id), 'state', 'active', 'startedAt', now)
  end
  local media = redis.call('HGET', key(id), 'media')
  publishText(user, sock, with(cjson.encode({type = 'call.joined', callId = id, roomId = roomId, media = media}),
    'participants', list(others)))
  toParticipants(id, {type = 'call.participant.joined', callId = id, userId = user}, user)
  return cjson.encode({ok = 'joined'})

elseif op == 'reject' then
  -- ARGV: callId, user
  local id, user = ARGV[3], ARGV[4]
  if redis.call('SREM', key(id, ':r'), user) == 0 then return failure('not_found', 'this call is not ringing for you', id) end
  redis.call('SREM', userRinging(user), id)
  local rejected = {type = 'call.rejected', callId = id, userId = user}
  toParticipants(id, rejected, nil)
  publish(user, '*', rejected)
  if redis.call('SCARD', key(id, ':r')) == 0 and redis.call('HLEN', key(id, ':p')) < 2 then return finish(id, 'rejected') end
  return cjson.encode({ok = 'rejected'})

elseif op == 'leave' then
  -- ARGV: callId, user, socket ('' = whichever device)
  local id, user, sock = ARGV[3], ARGV[4], ARGV[5]
  local bound = redis.call('HGET', key(id, ':p'), user)
  if not bound or (sock ~= '' and bound ~= sock) then return failure('not_found', 'you are not in this call', id) end
  return depart(id, user, 'hangup')

elseif op == 'relay' then
  -- ARGV: callId, from, socket, to, frame. 0 relayed, 1 sender not in the call (on this socket), 2 `to` not in it
  local p = key(ARGV[3], ':p')
  if redis.call('HGET', p, ARGV[4]) ~= ARGV[5] then return 1 end
  local target = redis.call('HGET', p, ARGV[6])
  if not target then return 2 end
  publishText(ARGV[6], target, ARGV[7])
  return 0

elseif op == 'media' then
  -- ARGV: callId, user, socket, frame
  if redis.call('HGET', key(ARGV[3], ':p'), ARGV[4]) ~= ARGV[5] then return 1 end
  toParticipantsText(ARGV[3], ARGV[6], ARGV[4])
  return 0

elseif op == 'heartbeat' then
  -- ARGV: expiry, "<callId>|<userId>"...
  for i = 4, #ARGV do redis.call('ZADD', P .. 'participants', 'XX', ARGV[3], ARGV[i]) end
  return 0

elseif op == 'sweep' then
  -- ARGV: limit. Participants whose instance stopped renewing them leave; unanswered rings time out.
  local swept = 0
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', P .. 'participants', '-inf', now, 'LIMIT', 0, ARGV[3])) do
    redis.call('ZREM', P .. 'participants', m)
    local id, user = string.match(m, '^(.-)|(.*)$')
    if redis.call('HEXISTS', key(id, ':p'), user) == 1 then
      depart(id, user, 'hangup')
      swept = swept + 1
    end
  end
  for _, id in ipairs(redis.call('ZRANGEBYSCORE', P .. 'ringing', '-inf', now, 'LIMIT', 0, ARGV[3])) do
    redis.call('ZREM', P .. 'ringing', id)
    local state = redis.call('HGET', key(id), 'state')
    if state == 'ringing' then
      finish(id, 'timeout')
    elseif state then
      -- answered by others: the invitation ends for those still being rung
      toRinging(id, {type = 'call.ended', callId = id, reason = 'timeout'})
      redis.call('DEL', key(id, ':r'))
    end
    swept = swept + 1
  end
  return swept

elseif op == 'status' then
  -- ARGV: user → {call?, ringing: [...]}: the call the user is in and the calls ringing for them,
  -- for `ready` (a device that connects while a call rings hears of it)
  local out = '{}'
  local id = redis.call('GET', userCall(ARGV[3]))
  if id then
    local c = redis.call('HMGET', key(id), 'roomId', 'media', 'state')
    if c[1] then
      out = with(out, 'call', with(cjson.encode({callId = id, roomId = c[1], media = c[2], state = c[3]}),
        'participants', list(redis.call('HKEYS', key(id, ':p')))))
    end
  end
  local ringing = {}
  for _, r in ipairs(redis.call('SMEMBERS', userRinging(ARGV[3]))) do
    local c = redis.call('HMGET', key(r), 'roomId', 'media', 'from')
    if c[1] and redis.call('SISMEMBER', key(r, ':r'), ARGV[3]) == 1 then
      table.insert(ringing, cjson.encode({callId = r, roomId = c[1], media = c[2], from = c[3]}))
    else
      redis.call('SREM', userRinging(ARGV[3]), r)
    end
  end
  return with(out, 'ringing', '[' .. table.concat(ringing, ',') .. ']')

elseif op == 'shelve' then
  -- ARGV: record. One that cannot be persisted (logged by the instance) waits in sig:events:failed
  if redis.call('LINDEX', P .. 'events', 0) == ARGV[3] then
    redis.call('LPOP', P .. 'events')
    redis.call('RPUSH', P .. 'events:failed', ARGV[3])
  end
  return 0

elseif op == 'persisted' then
  -- ARGV: record. Taken off the list only if still at its head (another instance may have done it)
  if redis.call('LINDEX', P .. 'events', 0) == ARGV[3] then redis.call('LPOP', P .. 'events') return 1 end
  return 0
end
return redis.error_reply('unknown operation ' .. tostring(op))
