import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

/**
 * Printable timetable → PDF with headless Chromium: A4 landscape, exactly one page per week. The page's
 * own print CSS sets the paper; a dense week (rerun carousels all day) is scaled down to fit the page
 * rather than spilling onto a second sheet, and the result is checked by counting its pages.
 *
 * Chinese text is drawn with the shipped CJK font (assets/fonts), so nothing depends on fonts installed
 * on the machine.
 */

/** Headless flags that work as root in a container with no GPU. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const FONT_FILE = fileURLToPath(new URL('../../assets/fonts/AerialSans-Regular.woff2', import.meta.url));
/** A4 landscape in CSS px (96 per inch) minus the 10 mm margins of the page's `@page` rule. */
const PRINTABLE_WIDTH_PX = ((297 - 20) / 25.4) * 96;
const PRINTABLE_HEIGHT_PX = ((210 - 20) / 25.4) * 96;
/** Chromium accepts print scales 0.1–2. Below ~0.3 a week is unreadable anyway. */
const MIN_SCALE = 0.1;

/** `/usr/bin/chromium` when the system has it, else the Chromium of the `@sparticuz/chromium` package. */
export async function chromiumExecutable(): Promise<string> {
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  const sparticuz = (await import('@sparticuz/chromium')).default;
  return sparticuz.executablePath();
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumExecutable(), headless: true, args: CHROMIUM_FLAGS });
}

let fontFaceCss: string | undefined;
function shippedFontCss(): string {
  fontFaceCss ??= `@font-face { font-family: "Aerial Sans"; src: url(data:font/woff2;base64,${readFileSync(FONT_FILE).toString('base64')}) format("woff2"); }
body { font-family: "Aerial Sans", "Noto Sans CJK SC", sans-serif !important; }`;
  return fontFaceCss;
}

/** Pages of a PDF and the MediaBox of each ([x0, y0, x1, y1] in points), read from its page objects. */
export function pdfPages(pdf: Buffer): { mediaBox: number[] }[] {
  const text = pdf.toString('latin1');
  const pages: { mediaBox: number[] }[] = [];
  // Page objects (`/Type /Page`, not `/Pages`) each carry or inherit a MediaBox; Chromium writes it on each page.
  for (const match of text.matchAll(
    /<<((?:(?!>>\s*(?:endobj|stream))[\s\S])*?\/Type\s*\/Page(?![a-zA-Z])[\s\S]*?)>>\s*endobj/g,
  )) {
    const box = /\/MediaBox\s*\[\s*([-\d.\s]+)\]/.exec(match[1]!);
    pages.push({ mediaBox: box ? box[1]!.trim().split(/\s+/).map(Number) : [] });
  }
  return pages;
}

export interface TimetablePdfOptions {
  /** A browser to reuse (tests launch one per file); otherwise one is launched and closed. */
  browser?: Browser;
  /** Also save a PNG of the page as laid out for print (e.g. a test artifact). */
  screenshotPath?: string;
}

/** Renders the printable timetable HTML to a one-page A4 landscape PDF. */
export async function renderTimetablePdf(html: string, options: TimetablePdfOptions = {}): Promise<Buffer> {
  const browser = options.browser ?? (await launchChromium());
  try {
    const page = await browser.newPage({
      viewport: { width: Math.floor(PRINTABLE_WIDTH_PX), height: Math.floor(PRINTABLE_HEIGHT_PX) },
    });
    try {
      await page.emulateMedia({ media: 'print' });
      await page.setContent(html, { waitUntil: 'load' });
      await page.addStyleTag({ content: shippedFontCss() });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const size = await page.evaluate(() => ({
        width: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight,
      }));
      if (options.screenshotPath) await page.screenshot({ path: options.screenshotPath, fullPage: true });
      // A little under the exact fit: line breaks move slightly when the layout width grows with 1/scale.
      let scale = Math.max(
        MIN_SCALE,
        Math.min(1, (PRINTABLE_HEIGHT_PX / size.height) * 0.97, PRINTABLE_WIDTH_PX / size.width),
      );
      for (;;) {
        const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true, scale });
        if (pdfPages(pdf).length <= 1 || scale <= MIN_SCALE) return pdf;
        scale = Math.max(MIN_SCALE, scale * 0.85);
      }
    } finally {
      await page.close();
    }
  } finally {
    if (!options.browser) await browser.close();
  }
}
