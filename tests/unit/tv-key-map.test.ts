import { describe, expect, it } from 'vitest';
import {
  actionForCode,
  DEFAULT_KEY_MAP,
  digitOf,
  KeyMapError,
  resolveKeyMap,
  toBlitsKeymap,
} from '../../tv-app/src/keys/key-map.ts';
import { parseLaunchOptions } from '../../tv-app/src/launch-options.ts';

describe('key map', () => {
  it('maps the default remote keys: arrows, OK, four Back codes, channel up/down, both digit rows', () => {
    const map = resolveKeyMap();
    expect([37, 38, 39, 40, 13].map((c) => actionForCode(map, c))).toEqual(['left', 'up', 'right', 'down', 'enter']);
    expect([8, 27, 461, 10009].map((c) => actionForCode(map, c))).toEqual(['back', 'back', 'back', 'back']);
    expect([33, 34].map((c) => actionForCode(map, c))).toEqual(['channelUp', 'channelDown']);
    for (let d = 0; d <= 9; d++) {
      expect(actionForCode(map, 48 + d)).toBe(`digit${d}`);
      expect(actionForCode(map, 96 + d)).toBe(`digit${d}`);
    }
    expect(actionForCode(map, 65)).toBeUndefined();
    expect(digitOf('digit7')).toBe(7);
    expect(digitOf('enter')).toBeUndefined();
  });

  it('applies overrides per action, replacing that action’s codes', () => {
    const map = resolveKeyMap({ back: [8, 4], channelUp: [427] });
    expect(map.back).toEqual([8, 4]);
    expect(actionForCode(map, 27)).toBeUndefined();
    expect(actionForCode(map, 427)).toBe('channelUp');
    expect(map.enter).toEqual(DEFAULT_KEY_MAP.enter);
  });

  it('refuses unknown actions, bad codes and codes claimed twice, naming the problem', () => {
    expect(() => resolveKeyMap({ menu: [77] })).toThrow(/unknown action 'menu'/);
    expect(() => resolveKeyMap({ back: [] })).toThrow(/action 'back' needs a non-empty list/);
    expect(() => resolveKeyMap({ back: ['8'] })).toThrow(KeyMapError);
    expect(() => resolveKeyMap({ back: [13] })).toThrow(/key code 13 is mapped to both 'enter' and 'back'/);
    expect(() => resolveKeyMap([1, 2])).toThrow(/must be an object/);
  });

  it('builds the Blits keymap from codes and key names, so Blits’ own defaults cannot win', () => {
    const keymap = toBlitsKeymap(resolveKeyMap());
    expect(keymap['461']).toBe('back');
    expect(keymap['10009']).toBe('back');
    expect(keymap.Escape).toBe('back'); // Blits alone would call it 'escape'
    expect(keymap.PageUp).toBe('channelUp');
    expect(keymap['7']).toBe('digit7');
    expect(keymap['103']).toBe('digit7');
    // Escape remapped away: its key name must not keep triggering Back.
    const remapped = toBlitsKeymap(resolveKeyMap({ back: [8] }));
    expect(remapped.Escape).toBe('unmapped');
    expect(remapped['27']).toBeUndefined();
  });
});

describe('launch options', () => {
  it('reads the API base URL, key overrides and screen size from the query string', () => {
    const options = parseLaunchOptions('?api=http://10.0.0.1:8080/&keys={"back":[8,4]}&w=1280', 'http://box', 1080);
    expect(options.apiBaseUrl).toBe('http://10.0.0.1:8080');
    expect(options.keyMap.back).toEqual([8, 4]);
    expect(options.screenWidth).toBe(1280);
    expect(options.warnings).toEqual([]);
  });

  it('falls back to defaults with a warning on bad values, and picks 720p from a small window', () => {
    const options = parseLaunchOptions('?api=ftp://x&keys={"back":[13]}', 'http://box', 720);
    expect(options.apiBaseUrl).toBe('http://box');
    expect(options.keyMap).toEqual(resolveKeyMap());
    expect(options.screenWidth).toBe(1280);
    expect(options.warnings).toHaveLength(2);
    expect(options.warnings[0]).toMatch(/keys: key code 13/);
  });

  it('draws a 1080p screen at 720p unless render=1080 asks for full resolution; never above the screen', () => {
    expect(parseLaunchOptions('', 'http://box', 1080).renderHeight).toBe(720);
    expect(parseLaunchOptions('?render=1080', 'http://box', 1080).renderHeight).toBe(1080);
    expect(parseLaunchOptions('?render=1080&w=1280', 'http://box', 1080).renderHeight).toBe(720);
    const bad = parseLaunchOptions('?render=4k', 'http://box', 1080);
    expect(bad.renderHeight).toBe(720);
    expect(bad.warnings).toEqual(["render: '4k' is not 720 or 1080; using 720"]);
  });
});
