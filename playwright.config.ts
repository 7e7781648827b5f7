import { defineConfig } from '@playwright/test';

// Debian's Chromium: Playwright cannot download its own browsers on this machine (DESIGN §5).
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
];

// Parallel work on one machine: E2E_PORT gives each run its own port and build folder, so two
// engineers' test runs never serve each other's builds.
const customPort = process.env.E2E_PORT;
const port = Number(customPort ?? 4173);
const outDir = customPort ? `.e2e-dist/${port}` : 'dist';

export default defineConfig({
  testDir: 'e2e',
  outputDir: customPort ? `test-results/e2e-${port}` : 'test-results/e2e',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: customPort ? `test-results/e2e-${port}.json` : 'test-results/e2e.json' }]],
  use: {
    baseURL: `http://localhost:${port}`,
    launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: [
    {
      // The tests drive the studio through its automation objects (src/app/automation.ts).
      command: `VITE_PATH_STUDIO_AUTOMATION=1 npx vite build --outDir ${outDir} --emptyOutDir && npx vite preview --outDir ${outDir} --port ${port} --strictPort`,
      url: `http://localhost:${port}`,
      reuseExistingServer: !process.env.CI && !customPort,
      timeout: 240_000,
    },
  ],
});
