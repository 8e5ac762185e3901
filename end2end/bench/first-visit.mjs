// First visit to the login page on a slow phone: Chromium with the CPU throttled 4x and a
// 1.6 Mbps / 150 ms network (Lighthouse's "slow 4G" figures), a cold cache each time, until the
// 登录 button can be used. Prints each run, the median of them, and the bytes on the wire.
//
//   node end2end/bench/first-visit.mjs http://127.0.0.1:3000 [runs=10]
//
// A benchmark, not a test: the figure depends on the machine (README records it).
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const runs = Number(process.argv[3] ?? 10);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const times = [];
let bytes = 0;
for (let i = 0; i < runs; i++) {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  let wire = 0;
  cdp.on('Network.loadingFinished', (e) => { wire += e.encodedDataLength; });
  const started = Date.now();
  await page.goto(`${base}/login`, { waitUntil: 'commit' });
  const login = page.getByRole('button', { name: '登录', exact: true });
  await login.waitFor({ state: 'visible', timeout: 60_000 });
  await page.waitForFunction(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === '登录');
    return button && !button.disabled;
  });
  const elapsed = Date.now() - started;
  times.push(elapsed);
  bytes = wire;
  console.log(`run ${i + 1}: ${(elapsed / 1000).toFixed(2)} s, ${wire} bytes on the wire`);
  await context.close();
}
await browser.close();
times.sort((a, b) => a - b);
const median = times.length % 2 ? times[(times.length - 1) / 2] : (times[times.length / 2 - 1] + times[times.length / 2]) / 2;
console.log(`median of ${runs}: ${(median / 1000).toFixed(2)} s until 登录 is usable; ${bytes} bytes on the wire (last run)`);
