-- Admits one more socket for a user unless the cap is reached, across every gateway replica.
-- KEYS[1]: the user's socket set; ARGV[1]: cap; ARGV[2]: lease ms; ARGV[3]: socket id.
-- Members are scored by lease expiry: a replica that dies stops renewing and its sockets age out.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  return 0
end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
return 1
