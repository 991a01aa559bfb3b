/** `input` handlers digit0…digit9 that call `this.typeDigit(d)` on the component. */
export function digitHandlers() {
  const handlers = {}
  for (let d = 0; d <= 9; d++) {
    handlers['digit' + d] = function () {
      this.typeDigit(d)
    }
  }
  return handlers
}
