-- GCRA (generic cell rate algorithm) in one atomic step, shared by every gateway replica.
-- KEYS[1]: the key; ARGV[1]: emission interval in ms (period / limit); ARGV[2]: limit (the burst);
-- ARGV[3]: how many cells the replica asks for at once (a lease, spent locally; default 1).
-- Returns {granted (0 = refused), remaining, retry_after_ms, reset_ms}. Time is Redis' own
-- clock, so replicas with skewed clocks still agree.
local interval = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3] or '1')
local tau = interval * (limit - 1)
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]))
if tat == nil or tat < now then
  tat = now
end
local allow_at = tat - tau
if now < allow_at then
  return {0, 0, allow_at - now, tat - now}
end
-- as many cells as fit now, at most the ones asked for
local granted = math.min(wanted, math.floor((now + tau - tat) / interval) + 1)
local new_tat = tat + granted * interval
redis.call('SET', KEYS[1], new_tat, 'PX', new_tat - now)
local remaining = math.floor((now + tau - new_tat) / interval) + 1
if remaining < 0 then
  remaining = 0
end
return {granted, remaining, 0, new_tat - now}
