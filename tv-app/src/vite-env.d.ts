declare module '*?url' {
  const url: string;
  export default url;
}

/** Blits ships no types for its plugins entry; the app uses `appState` only. */
declare module '@lightningjs/blits/plugins' {
  export const appState: { name: string; plugin: (...args: never[]) => unknown };
}
