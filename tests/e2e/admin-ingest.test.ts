/**
 * The console's ingest screen in a real headless Chromium against the real origin with a real packaging queue
 * and tus uploads: a caption sidecar dropped on the page and a lesson video chosen with the file picker are
 * matched to their lesson by name, a second video is matched by hand (searchable lesson picker); all upload
 * through tus-js-client with progress; the videos become packaging jobs, one is cancelled and retried from the
 * page, both package (live events), the lesson plays from /vod (the video element advances), and the API then
 * serves it. axe finds no serious or critical violation; screenshots go to artifacts/admin-app/.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticClip } from '../../packaging/synthetic.ts';
import { createPackagingQueue, type PackagingQueue } from '../../scheduler/admin/packaging-queue.ts';
import { createUploads } from '../../scheduler/admin/uploads.ts';
import { importCatalogBytes } from '../../scheduler/catalog/catalog-import.ts';
import { openDb, type Db } from '../../scheduler/store/db.ts';
import {
  buildConsole,
  openConsole,
  serveConsole,
  screenshotPath,
  seriousViolations,
  shown,
  textOf,
  type ConsoleWorld,
} from './admin-fixture.ts';
import { captionSidecar, tempDir } from './tv-fixture.ts';

const CATALOG = [
  'id,grade,subject,edition,volume,unit,unitTitleZh,lesson,titleZh,titleEn,captions',
  'g3-math-u1-l1,3,math,pep,1,1,时、分、秒,1,秒的认识,Seconds,zh',
  'g3-math-u1-l2,3,math,pep,1,1,时、分、秒,2,时间的计算,Time arithmetic,',
].join('\n');

let world: ConsoleWorld;
let packaging: PackagingQueue;
let clips: { lesson: string; other: string; captions: string };

async function startIngestWorld(): Promise<ConsoleWorld> {
  const work = tempDir('aerial-admin-ingest-');
  const dataDir = join(work, 'data');
  const db: Db = openDb(dataDir);
  importCatalogBytes(db, Buffer.from(CATALOG), 'catalog.csv', 'refuse');
  const sources = join(work, 'sources');
  const [lesson, other] = await Promise.all([
    makeSyntheticClip({ path: join(sources, 'g3-math-u1-l1.mp4'), durationS: 4, width: 320, height: 180 }),
    makeSyntheticClip({ path: join(sources, 'recording-0412.mp4'), durationS: 2, width: 320, height: 180 }),
    buildConsole(join(work, 'admin')),
  ]);
  const captions = join(sources, 'g3-math-u1-l1.zh.vtt');
  writeFileSync(captions, captionSidecar('zh', 4));
  clips = { lesson, other, captions };
  // Not started yet: the jobs wait in the queue until the test has cancelled and retried one from the page.
  packaging = createPackagingQueue({ db, dataDir, concurrency: 1 });
  const clock = () => Date.now();
  return serveConsole({
    work,
    dataDir,
    db,
    clock,
    packagingQueue: packaging,
    uploads: createUploads({ db, dataDir, clock, packaging, ladder: 'sample' }),
    onClose: () => packaging.stop(),
  });
}

beforeAll(async () => {
  world = await startIngestWorld();
}, 240_000);

afterAll(async () => {
  await world?.close();
});

/** Packaging jobs the API holds. */
async function jobCount(): Promise<number> {
  const answer = await fetch(`${world.baseUrl}/api/admin/packaging-jobs`, {
    headers: { Authorization: `Bearer ${world.editorToken}` },
  });
  return ((await answer.json()) as { jobs: unknown[] }).jobs.length;
}

describe('ingest', () => {
  it('uploads, packages and plays a lesson; a job is cancelled and retried from the page', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/ingest' });
    try {
      await shown(page.getByRole('heading', { name: '上传课程视频' }));

      // The caption sidecar is dropped on the page (a real drag-and-drop DataTransfer carrying a File).
      const vtt = captionSidecar('zh', 4);
      const drop = page.getByRole('button', { name: '选择文件' }).locator('xpath=..');
      const transfer = await page.evaluateHandle((text) => {
        // A file dragged from a file manager has a file-system entry; a script-made one has none (null).
        const native = DataTransferItem.prototype.webkitGetAsEntry;
        DataTransferItem.prototype.webkitGetAsEntry = function (this: DataTransferItem) {
          return native.call(this) ?? ({ isFile: true, isDirectory: false } as FileSystemEntry);
        };
        const data = new DataTransfer();
        // What a file manager's drag carries; a script-made DataTransfer cannot set it ('none' stays).
        Object.defineProperty(data, 'effectAllowed', { value: 'all' });
        data.items.add(new File([text], 'g3-math-u1-l1.zh.vtt', { type: 'text/vtt' }));
        return data;
      }, vtt);
      for (const type of ['dragenter', 'dragover', 'drop']) await drop.dispatchEvent(type, { dataTransfer: transfer });
      const caption = page.locator('[data-file="g3-math-u1-l1.zh.vtt"]');
      await shown(caption.getByText(/zh 字幕 · 按文件名匹配到课程 g3-math-u1-l1$/));

      // The two videos through the file picker: one named after its lesson, one not.
      await page.locator('input[type=file]').setInputFiles([clips.lesson, clips.other]);
      const lesson = page.locator('[data-file="g3-math-u1-l1.mp4"]');
      const other = page.locator('[data-file="recording-0412.mp4"]');
      await shown(lesson.getByText('按文件名匹配到课程 g3-math-u1-l1'));
      expect(await other.getByRole('button', { name: '上传 recording-0412.mp4' }).isDisabled()).toBe(true);
      // Chosen by hand: the picker searches the catalog (unpackaged lessons too).
      await other.getByRole('combobox').fill('u1-l2');
      await page.getByRole('option', { name: '时间的计算 · g3-math-u1-l2' }).click();
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('ingest-matched-zh'), fullPage: true });

      await caption.getByRole('button', { name: '上传 g3-math-u1-l1.zh.vtt' }).click();
      await shown(caption.getByText('上传完成'));
      await lesson.getByRole('button', { name: '上传 g3-math-u1-l1.mp4' }).click();
      await shown(lesson.getByText(/上传完成，已生成打包任务 \d+/));
      await other.getByRole('button', { name: '上传 recording-0412.mp4' }).click();
      const otherJob = Number(/任务 (\d+)/.exec(await textOf(other.getByText(/已生成打包任务/)))![1]);

      // Nothing packages yet (the queue is not running): cancel the second job, then retry it, from the page.
      const otherCard = other.locator(`[data-job="${otherJob}"]`);
      await otherCard.getByRole('button', { name: `取消任务 ${otherJob}` }).click();
      await shown(otherCard.locator('[data-status]').getByText('已取消', { exact: true }));
      await otherCard.getByRole('button', { name: `重试任务 ${otherJob}` }).click();
      await shown(otherCard.locator('[data-status]').getByText('排队中', { exact: true }));

      packaging.start();
      await shown(lesson.locator('[data-status]').getByText('已完成', { exact: true }), 90_000);
      await shown(otherCard.locator('[data-status]').getByText('已完成', { exact: true }), 90_000);
      await lesson.getByRole('button', { name: '播放课程 g3-math-u1-l1' }).click();
      const video = lesson.getByLabel('课程 g3-math-u1-l1 预览');
      await expect
        .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 20_000 })
        .toBeGreaterThan(0.5);
      expect(await seriousViolations(page)).toEqual([]);
      await page.screenshot({ path: screenshotPath('ingest-packaged-zh'), fullPage: true });

      // What the API serves now: both lessons packaged, the first with its Chinese captions.
      const served = await fetch(`${world.baseUrl}/api/lessons/g3-math-u1-l1`);
      expect(served.status).toBe(200);
      expect(((await served.json()) as { captions: string[] }).captions).toEqual(['zh']);
      expect((await fetch(`${world.baseUrl}/vod/lessons/g3-math-u1-l2/master.m3u8`)).status).toBe(200);
    } finally {
      await context.close();
    }
  });

  it('queues a packaging job with a poster offset: checked as the API checks it, refused next to the field', async () => {
    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/jobs' });
    try {
      const form = page.getByRole('form', { name: '打包课程' });
      await shown(form);
      await form.getByRole('combobox', { name: '课程' }).fill('u1-l2');
      await page.getByRole('option', { name: '时间的计算 · g3-math-u1-l2' }).click();
      await form.getByRole('textbox', { name: '源视频（服务器上的路径）' }).fill(clips.other);
      const posterAt = form.getByRole('textbox', { name: '海报截取位置' });
      // The API's default is filled in; what the API would refuse is said before anything is sent.
      expect(await posterAt.inputValue()).toBe('10%');
      await posterAt.fill('150%');
      await shown(form.getByText('百分比不能超过 100%（100% 即课程结尾）'));
      expect(await form.getByRole('button', { name: '加入打包队列' }).isDisabled()).toBe(true);
      await posterAt.fill('-3s');
      await shown(form.getByText('请填写秒数（如 30s）或 0–100 的百分比（如 25%），不能为负'));
      // Past the 2 s source's end only the server can tell: its 400 is shown next to the field.
      const before = await jobCount();
      await posterAt.fill('30s');
      await form.getByRole('button', { name: '加入打包队列' }).click();
      await shown(form.getByText(/^服务器拒绝：30s is beyond the lesson \(its source is 2\.\d+ s\)$/));
      expect(await posterAt.getAttribute('aria-invalid')).toBe('true');
      expect(await jobCount()).toBe(before);
      await page.screenshot({ path: screenshotPath('package-form-refused-zh'), fullPage: true });

      await posterAt.fill('1.5s');
      await form.getByRole('button', { name: '加入打包队列' }).click();
      const queued = await shown(form.getByText(/^已加入打包任务 \d+$/));
      const id = Number(/\d+/.exec(await textOf(queued))![0]);
      // The job the API keeps has the offset that was typed.
      const job = await fetch(`${world.baseUrl}/api/admin/packaging-jobs/${id}`, {
        headers: { Authorization: `Bearer ${world.editorToken}` },
      });
      expect(await job.json()).toMatchObject({ id, lessonId: 'g3-math-u1-l2', posterAt: '1.5s' });
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('resumes a large upload after a reload from the offset the server kept', async () => {
    // A 17 MiB caption file: one 16 MiB chunk, then the rest.
    const cue = (s: number) =>
      [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((v) => String(v).padStart(2, '0')).join(':') + '.000';
    const lines = ['WEBVTT', ''];
    let n = 0;
    for (let size = 0; size < 17 * 1024 * 1024; n++) {
      const text = `${cue(n)} --> ${cue(n + 1)}\n第${n}句：${'空中课堂'.repeat(40)}\n`;
      lines.push(text);
      size += Buffer.byteLength(text) + 1;
    }
    const big = join(world.work, 'g3-math-u1-l2.zh.vtt');
    writeFileSync(big, lines.join('\n'));

    const { context, page } = await openConsole(world, { token: world.editorToken, hash: '#/ingest' });
    try {
      // The network fails after the first chunk (every later PATCH is cut off).
      let patches = 0;
      let cutOff = true;
      await page.route('**/api/admin/uploads/**', (route) =>
        cutOff && route.request().method() === 'PATCH' && ++patches > 1
          ? route.abort('connectionreset')
          : route.continue(),
      );
      await page.locator('input[type=file]').setInputFiles(big);
      const row = page.locator('[data-file="g3-math-u1-l2.zh.vtt"]');
      await shown(row.getByText('按文件名匹配到课程 g3-math-u1-l2'));
      // The server has the first chunk once its PATCH is answered (the progress bar counts bytes sent).
      const firstChunk = page.waitForResponse((r) => r.request().method() === 'PATCH' && r.status() === 204, {
        timeout: 30_000,
      });
      await row.getByRole('button', { name: '上传 g3-math-u1-l2.zh.vtt' }).click();
      await firstChunk;
      await shown(row.getByText(/^已上传 94%/), 30_000);

      // Reload (the page's state is gone), choose the same file again: it continues from 16 MiB.
      // The network comes back only once the old page is gone: its retries (a PATCH a second later) would
      // otherwise finish the upload before the reload.
      await page.reload();
      cutOff = false;
      await shown(page.getByRole('heading', { name: '上传课程视频' }));
      const offsets: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'PATCH') offsets.push(r.headers()['upload-offset'] ?? '');
      });
      await page.locator('input[type=file]').setInputFiles(big);
      await shown(row.getByText('按文件名匹配到课程 g3-math-u1-l2'));
      await row.getByRole('button', { name: '上传 g3-math-u1-l2.zh.vtt' }).click();
      await shown(row.getByText('从断点继续：服务器已有 16.0 MB'), 30_000);
      const outcome = await shown(row.getByText(/^上传(完成|失败)/), 60_000);
      expect(await outcome.textContent()).toBe('上传完成');
      // One PATCH after the reload, from the offset the server had: the first chunk was not sent again.
      expect(offsets).toEqual([String(16 * 1024 * 1024)]);
      expect(await seriousViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
