import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { chromiumArgs, chromiumPath } from '../../playwright.config';

/** Browser benchmarks run against the production preview that `npm run bench` starts. */
export const baseUrl = process.env.BENCH_BASE_URL ?? 'http://localhost:4173';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, headless: true });
}

/**
 * One context = one browser profile (IndexedDB is shared by its pages). tsx compiles benchmark
 * files with esbuild's keepNames, whose `__name` helper ends up inside `page.evaluate` callbacks:
 * define it in the page.
 */
export async function newBenchContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext();
  await context.addInitScript('globalThis.__name = (f) => f;');
  return context;
}

/** A new page on the Live console, connected to the rosbridge server at `url`. */
export async function openLiveConsole(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${baseUrl}/live`);
  await page.getByLabel('rosbridge URL').fill(url);
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.locator('[data-testid=link-status][data-state=connected]').waitFor({ timeout: 60_000 });
  return page;
}
