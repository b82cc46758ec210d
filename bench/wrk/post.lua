-- POST /api/v4/runners: register an instance runner with the instance registration token (JSON body).
local n = 0
local headers = { ['Content-Type'] = 'application/json' }

request = function()
  n = n + 1
  return wrk.format('POST', '/api/v4/runners', headers,
    '{"token":"InstanceRegToken0001","description":"bench-' .. n .. '","tag_list":"bench,linux"}')
end
