// 还款规划 in the browser: the engine's time (no rendering) for a plan of ten events over 360
// periods and for a goal seek, in the app's wasm in Chromium, as the page records it in `data-ms`
// (performance.now() around shared::plan). Targets (issue 16): a plan ≤ 5 ms, a goal ≤ 20 ms.
//
//   node end2end/bench/plan.mjs http://127.0.0.1:3000 [samples=30]
//
// A benchmark, not a test: the figure depends on the machine (README records it).
import { chromium } from '@playwright/test';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const samples = Number(process.argv[3] ?? 30);

// The criterion bench's loan and events (shared/benches/loan.rs): 800,000 at 3.25 % over 360
// months, seven prepayments of 10,000 every third January, three rate changes.
const prepayments = [0, 1, 2, 3, 4, 5, 6].map((k) => `P,${2019 + 3 * k}-01-10,10000,${k % 2 === 0 ? 1 : 2},`);
const rates = ['R,2020-01-01,3.1', 'R,2030-01-01,3.5', 'R,2040-01-01,2.85'];
const plan = `m=1&b=800000&r=3.25&n=360&d=2017-12-28&p=3481.64&s=${[...prepayments, ...rates].join(';')}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-quic'],
});
const page = await browser.newPage();
await page.goto(`${base}/plan#plan=${encodeURIComponent(plan)}`);
await page.getByRole('region', { name: '各事项的结果' }).getByRole('row', { name: /^第10项/ }).waitFor();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const measure = async (section, change) => {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const before = await section.getAttribute('data-ms');
    await change(i);
    await page.waitForFunction(
      ([el, old]) => el.getAttribute('data-ms') !== old,
      [await section.elementHandle(), before],
    ).catch(() => {});
    times.push(Number(await section.getAttribute('data-ms')));
  }
  return times;
};

const results = page.locator('section[aria-labelledby="plan-results-title"]');
const amount = page.getByRole('group', { name: /^第1项/ }).getByLabel(/提前还本金额/);
const planTimes = await measure(results, (i) => amount.fill(i % 2 === 0 ? '11000' : '10000'));
console.log(`plan of 10 events over 360 periods: median ${median(planTimes).toFixed(2)} ms (${samples} samples, min ${Math.min(...planTimes).toFixed(2)}, max ${Math.max(...planTimes).toFixed(2)})`);

await page.getByLabel('提前还款日期').fill('2018-01-10');
await page.getByLabel('目标', { exact: true }).selectOption('在某年月前还清');
const goal = page.locator('section[aria-labelledby="plan-goal-title"]');
const target = page.getByLabel(/还清年月/);
const goalTimes = await measure(goal, (i) => target.fill(i % 2 === 0 ? '2035-12' : '2035-11'));
const answer = await page.getByRole('status').textContent();
console.log(`goal seek (finish by, with the 10 events): median ${median(goalTimes).toFixed(2)} ms (${samples} samples, min ${Math.min(...goalTimes).toFixed(2)}, max ${Math.max(...goalTimes).toFixed(2)}): ${answer}`);
await browser.close();
