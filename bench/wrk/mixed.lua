-- A mixed profile, in every 20 requests: 12 details, 2 lists, 2 filtered lists, 3 updates, 1 registration.
local n = 0
local admin = { ['PRIVATE-TOKEN'] = 'glpat-AdminToken0000000001' }
local adminJson = { ['PRIVATE-TOKEN'] = 'glpat-AdminToken0000000001', ['Content-Type'] = 'application/json' }
local json = { ['Content-Type'] = 'application/json' }

request = function()
  n = n + 1
  local k = n % 20
  if k < 12 then
    return wrk.format('GET', '/api/v4/runners/6', admin)
  elseif k < 14 then
    return wrk.format('GET', '/api/v4/runners/all?per_page=20', admin)
  elseif k < 16 then
    return wrk.format('GET', '/api/v4/runners/all?type=project_type&status=online&tag_list=docker', admin)
  elseif k < 19 then
    return wrk.format('PUT', '/api/v4/runners/6', adminJson, '{"description":"mixed-' .. n .. '"}')
  else
    return wrk.format('POST', '/api/v4/runners', json, '{"token":"InstanceRegToken0001","description":"mixed-' .. n .. '"}')
  end
end
