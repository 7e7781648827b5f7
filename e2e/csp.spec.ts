import { expect, test } from '@playwright/test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The built app is served with a Content-Security-Policy without `unsafe-eval` (WASM under
 * `wasm-unsafe-eval`), and every browser test runs under it: a library that needed eval would fail
 * its own test. OpenCV.js, which does, runs in the tracking worker under that worker's own policy.
 */
test('the page and its workers are served under a CSP without unsafe-eval; eval is refused in the page, WASM compiles', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  const response = await page.goto('/library');
  const csp = response!.headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toMatch(/'unsafe-eval'|'unsafe-inline'/);
  expect(response!.headers()['cross-origin-embedder-policy']).toBe('require-corp');

  const result = await page.evaluate(async () => {
    // DevTools' evaluate may eval regardless of the page's policy; a string timer is compiled by the page itself.
    const w = window as unknown as { cspProbe: string };
    w.cspProbe = 'not run';
    (setTimeout as unknown as (code: string, ms: number) => void)("window.cspProbe = 'ran'", 0);
    await new Promise((r) => setTimeout(r, 200));
    const evalRefused = w.cspProbe === 'not run';
    // The smallest valid WASM module: compiles under wasm-unsafe-eval.
    const wasm = await WebAssembly.compile(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0])).then(() => true, () => false);
    return { evalRefused, wasm };
  });
  expect(result).toEqual({ evalRefused: true, wasm: true });
  await expect.poll(() => violations.length).toBeGreaterThan(0); // the refused eval was reported as a violation
  violations.length = 0;

  // The tracking worker's script carries its own policy, which allows eval only there.
  const outDir = process.env.E2E_PORT ? `.e2e-dist/${process.env.E2E_PORT}` : 'dist';
  const assets = readdirSync(join(outDir, 'assets'));
  const tracking = assets.find((f) => /^tracking\.worker-.*\.js$/.test(f))!;
  const inference = assets.find((f) => /^inference\.worker-.*\.js$/.test(f))!;
  const trackingCsp = (await page.request.get(`/assets/${tracking}`)).headers()['content-security-policy'];
  expect(trackingCsp).toMatch(/script-src [^;]*'unsafe-eval'/);
  const inferenceCsp = (await page.request.get(`/assets/${inference}`)).headers()['content-security-policy'];
  expect(inferenceCsp).toBe(csp);
});
