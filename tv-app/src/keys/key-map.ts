/**
 * Remote-control keys → app actions. The defaults cover a desktop keyboard, webOS and Tizen remotes;
 * an operator can override any action's key codes (launch option `keys`, JSON), and the result is turned
 * into the keymap Blits expects (both `KeyboardEvent.key` names and `keyCode`s map to an action name).
 */

export const ACTIONS = [
  'up',
  'down',
  'left',
  'right',
  'enter',
  'back',
  'channelUp',
  'channelDown',
  'digit0',
  'digit1',
  'digit2',
  'digit3',
  'digit4',
  'digit5',
  'digit6',
  'digit7',
  'digit8',
  'digit9',
] as const;

export type Action = (typeof ACTIONS)[number];

/** Action → the key codes that trigger it. */
export type KeyMap = Record<Action, number[]>;

const digitCodes = (d: number) => [48 + d, 96 + d];

export const DEFAULT_KEY_MAP: KeyMap = {
  up: [38],
  down: [40],
  left: [37],
  right: [39],
  enter: [13],
  // Backspace, Escape, webOS Back, Tizen Return.
  back: [8, 27, 461, 10009],
  channelUp: [33],
  channelDown: [34],
  digit0: digitCodes(0),
  digit1: digitCodes(1),
  digit2: digitCodes(2),
  digit3: digitCodes(3),
  digit4: digitCodes(4),
  digit5: digitCodes(5),
  digit6: digitCodes(6),
  digit7: digitCodes(7),
  digit8: digitCodes(8),
  digit9: digitCodes(9),
};

/** `KeyboardEvent.key` names of the default codes: Blits looks the key name up before the code. */
const KEY_NAMES: Record<number, string> = {
  38: 'ArrowUp',
  40: 'ArrowDown',
  37: 'ArrowLeft',
  39: 'ArrowRight',
  13: 'Enter',
  8: 'Backspace',
  27: 'Escape',
  33: 'PageUp',
  34: 'PageDown',
  ...Object.fromEntries(Array.from({ length: 10 }, (_, d) => [48 + d, String(d)])),
};

export class KeyMapError extends Error {}

/**
 * Defaults with the given overrides applied. An override replaces the whole code list of its action;
 * a code claimed by two actions, an unknown action or a non-integer code is refused with the reason.
 */
export function resolveKeyMap(overrides: unknown = {}): KeyMap {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    throw new KeyMapError('key map overrides must be an object of action → key codes');
  }
  const map: KeyMap = { ...DEFAULT_KEY_MAP };
  for (const [action, codes] of Object.entries(overrides)) {
    if (!(ACTIONS as readonly string[]).includes(action)) {
      throw new KeyMapError(`unknown action '${action}' (known: ${ACTIONS.join(', ')})`);
    }
    if (!Array.isArray(codes) || codes.length === 0 || !codes.every((c) => Number.isInteger(c) && c > 0)) {
      throw new KeyMapError(
        `action '${action}' needs a non-empty list of positive integer key codes, got ${JSON.stringify(codes)}`,
      );
    }
    map[action as Action] = [...new Set(codes as number[])];
  }
  const owner = new Map<number, Action>();
  for (const action of ACTIONS) {
    for (const code of map[action]) {
      const previous = owner.get(code);
      if (previous) throw new KeyMapError(`key code ${code} is mapped to both '${previous}' and '${action}'`);
      owner.set(code, action);
    }
  }
  return map;
}

/** The action a key code triggers, if any. */
export function actionForCode(map: KeyMap, code: number): Action | undefined {
  return ACTIONS.find((action) => map[action].includes(code));
}

/**
 * The Blits `keymap` launch setting: every code, plus the key name of default codes that are still
 * mapped to the same action. Key names whose code was remapped are pointed at a no-op name, because
 * Blits consults `e.key` first and its built-in defaults (e.g. Escape → 'escape') would win otherwise.
 */
export function toBlitsKeymap(map: KeyMap): Record<string, string> {
  const keymap: Record<string, string> = {};
  for (const name of Object.values(KEY_NAMES)) keymap[name] = 'unmapped';
  keymap[' '] = 'unmapped';
  for (const action of ACTIONS) {
    for (const code of map[action]) {
      keymap[String(code)] = action;
      const name = KEY_NAMES[code];
      if (name) keymap[name] = action;
    }
  }
  return keymap;
}

/** The digit of a `digitN` action, else undefined. */
export function digitOf(action: string): number | undefined {
  const match = /^digit([0-9])$/.exec(action);
  return match ? Number(match[1]) : undefined;
}
