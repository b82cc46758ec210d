// runners.test.ts
import { beforeEach, expect, inject, test } from 'vitest'

const url = inject('gitlabUrl')
const headers = { 'PRIVATE-TOKEN': inject('adminToken') }

beforeEach(async () => {
  await fetch(`${url}/-/mock/reset`, { method: 'POST' }) // every test starts from the same world
})

test('an administrator sees the instance runners', async () => {
  const res = await fetch(`${url}/api/v4/runners/all?type=instance_type`, { headers })
  expect(res.status).toBe(200)
  const runners = (await res.json()) as Array<{ runner_type: string }>
  expect(runners.length).toBeGreaterThan(0)
  expect(runners.every((r) => r.runner_type === 'instance_type')).toBe(true)
})
