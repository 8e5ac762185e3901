import { defineConfig } from '@playwright/test';

// The hall is started by the test command (`./hall test`) on HPF_BASE_URL from a release build
// with demo data and the seed's clock. Debian's chromium only: Playwright never downloads a browser.
const baseURL = process.env.HPF_BASE_URL ?? 'http://127.0.0.1:3300';

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [
    { name: 'desktop', use: { viewport: { width: 1280, height: 800 } }, testIgnore: /(batch|deploy)\.spec\.ts/ },
    // Policy checks and the reflow sweep (it sets its own widths) run once, on the desktop project.
    { name: 'phone', use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }, testIgnore: /(policy|batch|reflow|deploy)\.spec\.ts/ },
    // The end-of-day run, on a server of its own so that its counts are its own.
    { name: 'batch', use: { viewport: { width: 1280, height: 800 }, baseURL: process.env.HPF_BATCH_URL }, testMatch: /batch\.spec\.ts/ },
    // The deployment (deploy/): nginx with TLS and HTTP/2 before two replicas on PostgreSQL, its
    // self-signed certificate made by the test command.
    {
      name: 'deploy',
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, baseURL: process.env.HPF_PROXY_URL, ignoreHTTPSErrors: true },
      testMatch: /deploy\.spec\.ts/,
    },
  ],
});
