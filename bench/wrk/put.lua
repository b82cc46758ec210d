-- PUT /api/v4/runners/6 as the admin, a new description each time (JSON body).
local n = 0
local headers = { ['Content-Type'] = 'application/json', ['PRIVATE-TOKEN'] = 'glpat-AdminToken0000000001' }

request = function()
  n = n + 1
  return wrk.format('PUT', '/api/v4/runners/6', headers, '{"description":"bench-' .. n .. '"}')
end
