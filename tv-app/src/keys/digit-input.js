import { ACTIONS, digitOf } from './key-map.ts'

/** @typedef {{ typeDigit(d: number): void }} TakesDigits */

/** `input` handlers for the digit actions of the key map (digit0…digit9) that call `this.typeDigit(d)`. */
export function digitHandlers() {
  /** @type {Record<string, (this: TakesDigits) => void>} */
  const handlers = {}
  for (const action of ACTIONS) {
    const d = digitOf(action)
    if (d === undefined) continue
    handlers[action] = function () {
      this.typeDigit(d)
    }
  }
  return handlers
}
