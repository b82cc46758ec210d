import { describe, expect, it } from 'vitest'
import { ControlledClock } from './clock.js'

describe('the controlled clock', () => {
  it('says at a given real instant what now() says when real time reads it: frozen, advanced, set ticking, shifted and reset', () => {
    let real = 1_000_000
    const clock = new ControlledClock(5_000, () => real)
    const agree = () => expect(clock.at(real)).toBe(clock.now())
    expect(clock.at(123)).toBe(5_000) // frozen: any instant
    agree()
    clock.advance(60_000)
    expect(clock.at(real)).toBe(65_000)
    clock.set(2_000_000, false) // ticking from there
    real += 500
    expect(clock.at(real)).toBe(2_000_500)
    agree()
    clock.advance(-1_000)
    expect(clock.at(real + 10)).toBe(1_999_510)
    agree()
    clock.useRealTime()
    expect(clock.at(real)).toBe(real)
    agree()
    clock.reset()
    expect(clock.at(real)).toBe(5_000)
  })
})
