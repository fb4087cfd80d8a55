import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

/** Debian's headless Chromium with a fresh profile directory (the caller removes it), plus `extraFlags`. */
export async function launchChromium(extraFlags: string[] = []): Promise<{ browser: BrowserContext; profile: string }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'nova-chromium-'));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: [...FLAGS, ...extraFlags], viewport: { width: 1024, height: 768 } });
  return { browser, profile };
}

/** The little of the DOM the page-side function uses (the project compiles without the DOM library). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
declare const document: { querySelectorAll(selector: string): ArrayLike<CanvasLike> };

/** Statistics of the pixels of the largest canvas under `selector`: drawn screens vary, blank ones do not. */
export async function canvasStats(page: Page, selector: string): Promise<{ width: number; height: number; variance: number; colours: number }> {
  return page.evaluate((sel) => {
    const canvases = Array.from(document.querySelectorAll(`${sel} canvas`));
    const c = canvases.sort((x, y) => y.width * y.height - x.width * x.height)[0];
    if (!c || !c.width || !c.height) return { width: 0, height: 0, variance: 0, colours: 0 };
    const data = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let sum = 0; let sumSq = 0;
    const colours = new Set<number>();
    const n = data.length / 4;
    for (let i = 0; i < data.length; i += 4) {
      const lum = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      sum += lum; sumSq += lum * lum;
      if (colours.size < 1000) colours.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    }
    const mean = sum / n;
    return { width: c.width, height: c.height, variance: sumSq / n - mean * mean, colours: colours.size };
  }, selector);
}

/** Polls until the canvas shows a drawn screen (not one flat colour), or fails with the last numbers. */
export async function waitForDrawnScreen(page: Page, selector: string, timeoutMs = 30000) {
  const end = Date.now() + timeoutMs;
  let last = await canvasStats(page, selector);
  while (Date.now() < end) {
    last = await canvasStats(page, selector);
    if (last.width > 0 && last.variance > 1 && last.colours > 1) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`the console canvas stayed blank: ${JSON.stringify(last)}`);
}

