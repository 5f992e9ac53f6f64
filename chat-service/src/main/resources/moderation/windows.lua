-- Flood and repeat windows of a batch of messages, in one round trip (RateWindows). ARGV holds
-- groups of seven: kind, key, tripped key, member, message time (ms), window (ms), limit.
-- Answers 1 (hit) or 0 per group. Scores are the messages' own times, so a consumer that is
-- behind judges them as they were sent, and a message counted twice is one member.
local hits = {}
for i = 1, #ARGV, 7 do
  local kind, key, tripped, member = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local at, window, limit = tonumber(ARGV[i + 4]), tonumber(ARGV[i + 5]), tonumber(ARGV[i + 6])
  local hit = 0
  if kind == 'flood' then
    -- member: the message id; a hit once per window: the message that crossed the limit
    redis.call('ZADD', key, at, member)
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (at - 2 * window))
    redis.call('PEXPIRE', key, 2 * window)
    if redis.call('ZCOUNT', key, '(' .. (at - window), at) > limit then
      local first = redis.call('GET', tripped)
      if not first then
        redis.call('SET', tripped, member, 'PX', window)
        hit = 1
      elseif first == member then
        hit = 1
      end
    end
  else
    -- repeat: member is the room; every copy in limit or more rooms within the window is a hit
    redis.call('ZADD', key, 'GT', at, member)
    redis.call('ZREMRANGEBYSCORE', key, '-inf', '(' .. (at - 2 * window))
    redis.call('PEXPIRE', key, 2 * window)
    if redis.call('ZCOUNT', key, at - window, '+inf') >= limit then
      hit = 1
    end
  end
  hits[#hits + 1] = hit
end
return hits
