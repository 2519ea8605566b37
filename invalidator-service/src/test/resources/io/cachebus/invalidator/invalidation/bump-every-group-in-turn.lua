local ENTITY_MARK = '/entity/'
local function is_entity(key)
  return string.find(key, ENTITY_MARK, 1, true) ~= nil
end
local function run_and_now()
  local run = string.match(redis.call('INFO', 'server'), 'run_id:(%w+)')
  local time = redis.call('TIME')
  return run, tonumber(time[1]) * 1000000 + tonumber(time[2])
end
local function vouched_since(ledger, run, now)
  if redis.call('HGET', ledger, 'run') ~= run then
    redis.call('DEL', ledger)
    redis.call('HSET', ledger, 'run', run, 'since', string.format('%.0f', now))
  end
  local since = tonumber(redis.call('HGET', ledger, 'since'))
  if since == nil then
    since = now
    redis.call('HSET', ledger, 'since', string.format('%.0f', now))
  end
  return since
end
local function vouched_counter(ledger, key, ttl, since, now)
  local value = redis.call('GET', key)
  local current = tonumber(value)
  if is_entity(key) then
    if current == nil or current < since then
      current = math.max(now, (current or 0) + 1)
      value = string.format('%.0f', current)
      redis.call('SET', key, value, 'PX', ttl)
    else
      redis.call('PEXPIRE', key, ttl)
    end
  else
    local vouched = tonumber(redis.call('HGET', ledger, key))
    if current == nil or vouched == nil or current < vouched then
      current = math.max(now, (current or 0) + 1, (vouched or 0) + 1)
      value = string.format('%.0f', current)
      redis.call('SET', key, value, 'PX', ttl)
      redis.call('HSET', ledger, key, value)
    else
      if current > vouched then
        redis.call('HSET', ledger, key, value)
      end
      redis.call('PEXPIRE', key, ttl)
    end
  end
  return value
end
local function vouched_generations(ledger, first, last, ttl, run, now)
  local since = vouched_since(ledger, run, now)
  local generations = {}
  for i = first, last do
    generations[#generations + 1] = vouched_counter(ledger, KEYS[i], ttl, since, now)
  end
  redis.call('PEXPIRE', ledger, ttl)
  return generations
end
local function current_generations(ledger, first, ttl)
  local run, now = run_and_now()
  return vouched_generations(ledger, first, #KEYS, ttl, run, now)
end
local function bumped_entity(key, since)
  local value = redis.pcall('INCR', key)
  if type(value) ~= 'number' or value - 1 < since then
    redis.call('DEL', key)
    return 0
  end
  return value
end
local function bumped_counter(ledger, key, ttl, now)
  local vouched = tonumber(redis.call('HGET', ledger, key))
  local value = redis.pcall('INCR', key)
  if type(value) ~= 'number' or vouched == nil or value <= 1 or value - 1 < vouched then
    value = math.max(now, type(value) == 'number' and value or 1, (vouched or 0) + 1) + 1
    redis.call('SET', key, string.format('%.0f', value), 'PX', ttl)
  else
    redis.call('PEXPIRE', key, ttl)
  end
  redis.call('HSET', ledger, key, string.format('%.0f', value))
  return value
end
local run, now = run_and_now()
local bumped = {}
local ledgerIndex = 1
for group = 2, #ARGV do
  local counters = tonumber(ARGV[group])
  local ledger = KEYS[ledgerIndex]
  local since = vouched_since(ledger, run, now)
  for i = ledgerIndex + 1, ledgerIndex + counters do
    local value
    if is_entity(KEYS[i]) then
      value = bumped_entity(KEYS[i], since)
    else
      value = bumped_counter(ledger, KEYS[i], ARGV[1], now)
    end
    bumped[#bumped + 1] = value
  end
  redis.call('PEXPIRE', ledger, ARGV[1])
  ledgerIndex = ledgerIndex + counters + 1
end
return bumped
