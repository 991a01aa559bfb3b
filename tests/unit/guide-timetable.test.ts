import { XmlDocument } from 'libxml2-wasm';
import { describe, expect, it } from 'vitest';
import { escapeHtml, isoWeekDates, renderWeeklyTimetableHtml } from '../../playlists/timetable-html.ts';
import { CHANNEL_G3, LESSONS, SUSPENSION_NOTICE, g3Days } from '../helpers/guide-day-fixtures.ts';

function render(notice?: { zh: string; en?: string }) {
  return renderWeeklyTimetableHtml({
    channel: CHANNEL_G3,
    week: '2026-W10',
    days: g3Days(),
    lessons: LESSONS,
    ...(notice ? { notice } : {}),
  });
}

/** Text of each day column (td), tags stripped, entities decoded. */
function columns(html: string): string[] {
  const body = /<tbody><tr>([\s\S]*)<\/tr><\/tbody>/.exec(html)![1]!;
  return [...body.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((m) =>
    m[1]!
      .replace(/<[^>]+>/g, ' ')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

describe('printable weekly timetable', () => {
  it('has A4 landscape print CSS and seven day columns Monday to Sunday', () => {
    const html = render();
    expect(html).toContain('@page { size: A4 landscape;');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    const headers = [...html.matchAll(/<th scope="col">([\s\S]*?)<\/th>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ' '));
    expect(headers).toHaveLength(7);
    expect(headers[0]).toContain('2026-03-02');
    expect(headers[6]).toContain('2026-03-08');
    expect(isoWeekDates('2026-W53')).toHaveLength(7);
    expect(() => isoWeekDates('2027-W53')).toThrow(/ISO week/);
    expect(() => isoWeekDates('2026-10')).toThrow(/got "2026-10"/);
  });

  it('lists lessons with local times, subjects and titles, marks reruns, leaves out fillers and slate', () => {
    const [monday, tuesday, wednesday] = columns(render());
    expect(monday).toContain('08:00–08:20 语文 第1课 大青树下的小学');
    expect(monday).toContain('08:45–09:05 数学 第1课 秒的认识 <1> & "练习"');
    expect(monday).toContain('14:00–14:20 重播 Rerun 语文 第1课 大青树下的小学');
    // After midnight, still Monday's broadcast day.
    expect(monday).toContain('01:00–01:20 重播 Rerun 数学');
    expect(monday).not.toContain('眼保健操');
    expect(monday).not.toContain('休息时间');
    expect(tuesday).toContain('08:00–08:20 语文 第2课 花的学校');
    expect(wednesday).toBe('暂未发布 Not yet published');
    // Reruns are marked by words and outline, not colour only.
    expect(render()).toContain('li.rerun { border: 1px dashed #000; }');
    const colours = [...render().matchAll(/(?<![-\w])color:\s*([^;}]+)/g)].map((m) => m[1]!.trim());
    expect(colours).toEqual(['#000']);
  });

  it('shows the suspension notice of the week once, and a notice passed in', () => {
    const html = render({ zh: '3月9日起恢复到校上课', en: 'Schools reopen on 9 March' });
    const notices = [...html.matchAll(/<section class="notice"[^>]*>([\s\S]*?)<\/section>/g)].map((m) => m[1]!);
    expect(notices).toHaveLength(2);
    expect(notices[0]).toContain('3月9日起恢复到校上课');
    expect(notices[1]).toContain(escapeHtml(SUSPENSION_NOTICE.text.zh));
    expect(render().match(/class="notice"/g)).toHaveLength(1);
  });

  it('escapes all text: a hostile channel name or notice stays text and the page stays well-formed', () => {
    const html = renderWeeklyTimetableHtml({
      channel: { ...CHANNEL_G3, name: { zh: '<script>alert(1)</script>', en: '"><img src=x onerror=alert(1)>' } },
      week: '2026-W10',
      days: g3Days(),
      lessons: LESSONS,
      notice: { zh: '</section><b>x</b>' },
    });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>x</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('秒的认识 &lt;1&gt; &amp; &quot;练习&quot;');
    // The page is well-formed XML too (void meta written as such), so a real parser reads its structure.
    const document = XmlDocument.fromString(
      html.replace('<!DOCTYPE html>', '').replace('<meta charset="utf-8">', '<meta charset="utf-8"/>'),
    );
    try {
      expect(document.find('//td').length).toBe(7);
      expect(document.find('//script').length).toBe(0);
    } finally {
      document.dispose();
    }
  });
});
