/** @module The injected clock: real time (optionally shifted) or frozen at an instant; the control API sets and advances it. */

export interface Clock {
  /** Epoch milliseconds. */
  now(): number
}

export interface ClockState {
  /** Frozen instant, or null when the clock follows real time. */
  frozenAt: number | null
  /** Added to real time when not frozen (advancing a real clock shifts it). */
  offsetMs: number
}

/** A clock that tests can freeze, set and advance; `reset()` returns it to how it started. */
export class ControlledClock implements Clock {
  #state: ClockState
  readonly #initial: ClockState

  constructor(
    fixedAt: number | null = null,
    private readonly realNow: () => number = Date.now,
  ) {
    this.#initial = { frozenAt: fixedAt, offsetMs: 0 }
    this.#state = { ...this.#initial }
  }

  now(): number {
    return this.#state.frozenAt ?? this.realNow() + this.#state.offsetMs
  }

  /** What now() says when real time reads `realMs` (no clock read: the caller already has one). */
  at(realMs: number): number {
    return this.#state.frozenAt ?? realMs + this.#state.offsetMs
  }

  /** What now() will say right after reset(). */
  initialNow(): number {
    return this.#initial.frozenAt ?? this.realNow()
  }

  get frozen(): boolean {
    return this.#state.frozenAt !== null
  }

  /** Freeze at an instant, or (frozen = false) keep ticking from it. */
  set(instant: number, frozen = true): void {
    this.#state = frozen ? { frozenAt: instant, offsetMs: 0 } : { frozenAt: null, offsetMs: instant - this.realNow() }
  }

  advance(ms: number): void {
    if (this.#state.frozenAt !== null) this.#state = { ...this.#state, frozenAt: this.#state.frozenAt + ms }
    else this.#state = { ...this.#state, offsetMs: this.#state.offsetMs + ms }
  }

  /** Follow real time again. */
  useRealTime(): void {
    this.#state = { frozenAt: null, offsetMs: 0 }
  }

  reset(): void {
    this.#state = { ...this.#initial }
  }
}
