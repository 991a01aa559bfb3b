import { describe, expect, it } from 'vitest';
import {
  checkCuesWithin,
  formatTimestamp,
  parseTimestamp,
  parseWebVtt,
  segmentWebVtt,
  WebVttError,
  type WebVttCue,
} from '../../packaging/webvtt.ts';
import { sampleCaptionsVtt } from '../../scheduler/sample/sample-captions.ts';

const FILE = 'lesson.zh.vtt';

function parseError(text: string | Uint8Array): WebVttError {
  try {
    parseWebVtt(text, FILE);
  } catch (error) {
    expect(error).toBeInstanceOf(WebVttError);
    return error as WebVttError;
  }
  throw new Error('expected a WebVttError');
}

function cue(startMs: number, endMs: number, text: string, extra: Partial<WebVttCue> = {}): WebVttCue {
  return { startMs, endMs, settings: '', text: [text], line: 1, ...extra };
}

/** Cue blocks of a segment: [timing line, ...text] without the header. */
function cuesOf(segment: string): string[][] {
  return segment
    .split('\n\n')
    .slice(1)
    .map((block) => block.trim().split('\n'));
}

describe('parseWebVtt', () => {
  it('reads cues with identifiers, settings and multi-line text, skipping NOTE, STYLE and REGION blocks', () => {
    const text = [
      'WEBVTT - 三年级数学',
      'Kind: captions',
      '',
      'REGION',
      'id:bottom width:80%',
      '',
      'STYLE',
      '::cue { color: yellow }',
      '',
      'NOTE 这是注释',
      'spanning two lines',
      '',
      'intro',
      '00:00.500 --> 00:02.250 line:85% align:center',
      '同学们好！',
      '<b>今天</b>我们学习《秒的认识》。',
      '',
      'NOTE',
      '',
      '01:00:00.000 --> 01:00:01.000',
      '第1句',
      '',
    ].join('\n');
    expect(parseWebVtt(text, FILE)).toEqual([
      {
        id: 'intro',
        startMs: 500,
        endMs: 2250,
        settings: 'line:85% align:center',
        text: ['同学们好！', '<b>今天</b>我们学习《秒的认识》。'],
        line: 14,
      },
      { startMs: 3_600_000, endMs: 3_601_000, settings: '', text: ['第1句'], line: 20 },
    ]);
  });

  it('accepts a UTF-8 BOM and CRLF or CR line ends, and keeps line numbers right', () => {
    const lf = 'WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n第一行\n第二行\n\n00:00:03.000 --> 00:00:04.000\n下一句\n';
    const expected = parseWebVtt(lf, FILE);
    expect(expected).toHaveLength(2);
    expect(expected[1]!.line).toBe(8);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(lf.replace(/\n/g, '\r\n'))]);
    expect(parseWebVtt(bom, FILE)).toEqual(expected);
    expect(parseWebVtt(lf.replace(/\n/g, '\r'), FILE)).toEqual(expected);
    expect(parseError('WEBVTT\r\n\r\n00:00:01.000 --> 00:00:0x.000\r\n坏\r\n').line).toBe(3);
  });

  it('accepts a file with no cues', () => {
    expect(parseWebVtt('WEBVTT\n', FILE)).toEqual([]);
    expect(parseWebVtt('WEBVTT', FILE)).toEqual([]);
  });

  it('rejects a missing WEBVTT header on line 1', () => {
    const error = parseError('1\n00:00:01.000 --> 00:00:02.000\nhello\n');
    expect(error.message).toBe(`${FILE}:1: missing 'WEBVTT' header (the first line is '1')`);
    expect(parseError('WEBVTTX\n').line).toBe(1);
    expect(parseError('\nWEBVTT\n').line).toBe(1);
  });

  it.each([
    ['00:00:01,000', /cue start: bad timestamp '00:00:01,000' \(expected \[hh:\]mm:ss\.ttt\)/], // SRT comma
    ['0:01.000', /cue start: bad timestamp '0:01\.000'/],
    ['00:01.00', /cue start: bad timestamp '00:01\.00'/],
    ['00:60.000', /cue start: bad timestamp '00:60\.000' \(seconds must be 00–59\)/],
    ['00:61:00.000', /cue start: bad timestamp '00:61:00\.000' \(minutes must be 00–59\)/],
  ])('rejects the bad timestamp %s with its line number', (timestamp, reason) => {
    const error = parseError(`WEBVTT\n\n00:00.000 --> 00:01.000\nok\n\n${timestamp} --> 00:59:59.000\nbad\n`);
    expect(error.line).toBe(6);
    expect(error.reason).toMatch(reason);
    expect(error.message.startsWith(`${FILE}:6: `)).toBe(true);
  });

  it('rejects a bad end timestamp, a malformed timing line and an arrow without spaces', () => {
    expect(parseError('WEBVTT\n\n00:01.000 --> 00:02\nx\n')).toMatchObject({
      line: 3,
      reason: "cue end: bad timestamp '00:02' (expected [hh:]mm:ss.ttt)",
    });
    expect(parseError('WEBVTT\n\nid\n00:01.000 -> 00:02.000\n').reason).toMatch(/expected a cue/);
    expect(parseError('WEBVTT\n\n00:01.000-->00:02.000\nx\n')).toMatchObject({
      line: 3,
      reason: expect.stringMatching(/malformed cue timing line/),
    });
  });

  it('rejects a cue that ends at or before it starts', () => {
    expect(parseError('WEBVTT\n\n00:02.000 --> 00:02.000\nx\n')).toMatchObject({
      line: 3,
      reason: 'cue ends (00:02.000) at or before it starts (00:02.000)',
    });
    expect(parseError('WEBVTT\n\n\n\n00:03.000 --> 00:02.999\nx\n').line).toBe(5);
  });

  it('rejects cues out of start-time order, text containing an arrow, and stray text blocks', () => {
    expect(parseError('WEBVTT\n\n00:05.000 --> 00:06.000\na\n\n00:04.000 --> 00:07.000\nb\n')).toMatchObject({
      line: 6,
      reason: 'cue starts (00:04.000) before the previous cue (00:00:05.000, line 3); cues must be in start-time order',
    });
    expect(parseError('WEBVTT\n\n00:01.000 --> 00:02.000\na\n00:03.000 --> 00:04.000\nb\n')).toMatchObject({
      line: 5,
      reason: expect.stringMatching(/blank line missing/),
    });
    expect(parseError('WEBVTT\n\njust some words\n')).toMatchObject({
      line: 3,
      reason: expect.stringMatching(/expected a cue/),
    });
    expect(parseError('WEBVTT\n00:01.000 --> 00:02.000\na\n')).toMatchObject({
      line: 2,
      reason: expect.stringMatching(/blank line must separate/),
    });
  });

  it('rejects bytes that are not UTF-8, naming the line (e.g. a GBK file)', () => {
    const gbk = new Uint8Array([
      ...new TextEncoder().encode('WEBVTT\n\n00:01.000 --> 00:02.000\n'),
      0xc4,
      0xe3,
      0xba,
      0xc3,
      0x0a,
    ]); // 你好 in GBK
    expect(parseError(gbk)).toMatchObject({ line: 4, reason: expect.stringMatching(/not UTF-8/) });
    expect(parseError(new Uint8Array([0xff, 0xfe, 0x57, 0x00]))).toMatchObject({ line: 1 }); // UTF-16
  });

  it('parses and formats timestamps', () => {
    expect(parseTimestamp('01:02:03.004')).toBe(3_723_004);
    expect(parseTimestamp('123:00:00.000')).toBe(442_800_000);
    expect(parseTimestamp('59:59.999')).toBe(3_599_999);
    expect(formatTimestamp(3_723_004)).toBe('01:02:03.004');
    expect(formatTimestamp(0)).toBe('00:00:00.000');
    expect(() => formatTimestamp(1.5)).toThrow(RangeError);
  });
});

describe('checkCuesWithin', () => {
  const cues = parseWebVtt('WEBVTT\n\n00:01.000 --> 00:13.000\na\n\n00:13.000 --> 00:14.040\nb\n', FILE);
  it('accepts cues ending within one frame of the video end, and names the first cue beyond it', () => {
    expect(() => checkCuesWithin(cues, FILE, 14_000, 40)).not.toThrow();
    let error: unknown;
    try {
      checkCuesWithin(cues, FILE, 14_000, 39);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WebVttError);
    expect((error as WebVttError).message).toBe(
      `${FILE}:6: cue ends at 00:00:14.040, beyond the end of the video (00:00:14.000) by more than a frame`,
    );
  });
});

describe('segmentWebVtt', () => {
  const PTS = 133_200;
  const HEADER = `WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:${PTS},LOCAL:00:00:00.000\n`;

  it('writes one segment per canonical segment, each with the timestamp map; empty segments are the header alone', () => {
    const segments = segmentWebVtt([cue(1000, 2000, '第一句')], [6000, 6000, 2000], PTS);
    expect(segments).toHaveLength(3);
    for (const s of segments) expect(s.startsWith(HEADER)).toBe(true);
    expect(segments[0]).toBe(`${HEADER}\n00:00:01.000 --> 00:00:02.000\n第一句\n`);
    expect(segments[1]).toBe(HEADER);
    expect(segments[2]).toBe(HEADER);
    expect(segmentWebVtt([], [6000], PTS)).toEqual([HEADER]);
  });

  it('puts a cue across a boundary in both segments, a cue starting exactly on a boundary only in the later one', () => {
    const cues = [
      cue(5000, 7300, '跨越边界', { id: 'c1', settings: 'align:start' }),
      cue(6000, 8000, '正好在边界开始'),
      cue(10_000, 12_000, '正好在边界结束'),
      cue(12_000, 13_000, '最后一段'),
    ];
    const segments = segmentWebVtt(cues, [6000, 6000, 2000], PTS);
    expect(cuesOf(segments[0]!)).toEqual([['c1', '00:00:05.000 --> 00:00:07.300 align:start', '跨越边界']]);
    expect(cuesOf(segments[1]!)).toEqual([
      ['c1', '00:00:05.000 --> 00:00:07.300 align:start', '跨越边界'],
      ['00:00:06.000 --> 00:00:08.000', '正好在边界开始'],
      ['00:00:10.000 --> 00:00:12.000', '正好在边界结束'],
    ]);
    expect(cuesOf(segments[2]!)).toEqual([['00:00:12.000 --> 00:00:13.000', '最后一段']]);
  });

  it('keeps multi-line text and spans a long cue over every segment it overlaps', () => {
    const segments = segmentWebVtt(
      [{ startMs: 500, endMs: 13_500, settings: '', text: ['第一行', '第二行'], line: 3 }],
      [6000, 6000, 2000],
      PTS,
    );
    for (const s of segments) expect(cuesOf(s)).toEqual([['00:00:00.500 --> 00:00:13.500', '第一行', '第二行']]);
  });

  it('gives the last segment a cue that starts after the packaged end (within the allowed frame)', () => {
    const segments = segmentWebVtt([cue(14_000, 14_040, '尾巴')], [6000, 6000, 2000], PTS);
    expect(cuesOf(segments[2]!)).toEqual([['00:00:14.000 --> 00:00:14.040', '尾巴']]);
    expect(cuesOf(segments[1]!)).toEqual([]);
  });

  it('round-trips: every segment parses back as WebVTT with the cues it was given', () => {
    const cues = parseWebVtt(
      'WEBVTT\n\n00:01.000 --> 00:07.000 line:90%\n一\n二\n\n00:08.000 --> 00:09.000\n三\n',
      FILE,
    );
    const segments = segmentWebVtt(cues, [6000, 6000], 90_000);
    expect(parseWebVtt(segments[0]!, 'seg0').map((c) => c.text)).toEqual([['一', '二']]);
    expect(parseWebVtt(segments[1]!, 'seg1').map((c) => [c.startMs, c.endMs, c.settings, c.text])).toEqual([
      [1000, 7000, 'line:90%', ['一', '二']],
      [8000, 9000, '', ['三']],
    ]);
  });

  it('refuses a timestamp map that is not a 33-bit tick count and a non-positive segment', () => {
    expect(() => segmentWebVtt([], [6000], -1)).toThrow(RangeError);
    expect(() => segmentWebVtt([], [6000], 2 ** 33)).toThrow(RangeError);
    expect(() => segmentWebVtt([], [6000, 0], 0)).toThrow(/segment 1 has duration 0 ms/);
  });
});

describe('sample captions', () => {
  const lesson = {
    grade: 3,
    unit: 2,
    unitTitleZh: '万以内的加法和减法',
    unitTitleEn: 'Adding within 10,000',
    titleZh: '两位数加两位数',
    titleEn: 'Two-digit addition',
  };
  it('are valid WebVTT with a cue every 2.5 s inside the clip, in the lesson’s words', () => {
    const zh = parseWebVtt(sampleCaptionsVtt(lesson, { zh: '数学', en: 'Maths' }, 'zh', 12), 'zh');
    expect(zh.map((c) => c.startMs)).toEqual([0, 2500, 5000, 7500, 10_000]);
    expect(zh.at(-1)!.endMs).toBe(12_000);
    expect(zh.map((c) => c.text.join(' '))).toEqual([
      '3年级数学 第2单元 同学们好！今天我们学习《两位数加两位数》。',
      '这节课属于第2单元「万以内的加法和减法」。',
      '第1点：先读一读课题《两位数加两位数》。',
      '第2点：想一想：数学课上我们学过什么？',
      '这节课就到这里，同学们再见！',
    ]);
    const en = parseWebVtt(sampleCaptionsVtt(lesson, { zh: '数学', en: 'Maths' }, 'en', 6.2), 'en');
    expect(en.map((c) => [c.startMs, c.endMs])).toEqual([
      [0, 2300],
      [2500, 4800],
      [5000, 6200],
    ]);
    expect(en[0]!.text).toEqual(['Grade 3 Maths, unit 2', "Hello, class! Today's lesson: Two-digit addition."]);
  });
});
