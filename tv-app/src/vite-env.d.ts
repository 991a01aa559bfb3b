declare module '*?url' {
  const url: string;
  export default url;
}

/** Blits ships no types for its plugins entry; the app uses `appState` only. */
declare module '@lightningjs/blits/plugins' {
  export const appState: { name: string; plugin: (...args: never[]) => unknown };
}

/** Blits' symbols (the renderer handle the app reaches through `this[symbols.renderer]`), untyped in 1.27. */
declare module '@lightningjs/blits/symbols' {
  const symbols: { readonly renderer: symbol };
  export default symbols;
}
