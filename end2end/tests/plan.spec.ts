import { Page, expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { DEMO, loggedInTwin } from './pages/account';
import { chooseMode, horizontalOverflow } from './pages/hall';
import { keepScreenshot, watchPage } from './pages/watch';

// 还款规划: the citizen's own loan pre-filled, events clicked in, scenarios, the goal, 怎么算的,
// the CSV and print view, the share link reopening the plan in the public planner. Each test
// makes its own twin of 佟一 (the seed's loan 2015000211).

/** The results table's row of the `n`th event. */
const eventRow = (page: Page, n: number) =>
  page.getByRole('region', { name: '各事项的结果' }).getByRole('row', { name: new RegExp(`^第${n}项`) });

async function addPrepayment(page: Page, n: number, date: string, amount: string, mode?: string) {
  await page.getByRole('button', { name: '添加部分提前还本' }).click();
  const event = page.getByRole('group', { name: new RegExp(`^第${n}项`) });
  await event.getByLabel('约定还款日期').fill(date);
  await event.getByLabel(/提前还本金额/).fill(amount);
  if (mode) await event.getByLabel('调整方式').selectOption(mode);
}

test('a citizen plans on their own loan: two events, a second scenario, the goal, the working', async ({ page }, testInfo) => {
  const problems = watchPage(page);
  const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
  await page.goto(`/loans/${loan}`);
  await page.getByRole('link', { name: '还款规划' }).click();
  await expect(page).toHaveURL(new RegExp(`/loans/${loan}/plan$`));
  await expect(page.getByRole('heading', { name: '还款规划', exact: true })).toBeVisible();
  // The loan as the fund holds it, and with no event the plan is the loan as it stands.
  await expect(page.getByText(/贷款余额 646,609.84 元，年利率 3.25%，剩余 272 期，月还款额 3,362.48 元/)).toBeVisible();
  await expect(page.getByText('尚未添加事项')).toBeVisible();

  // The seed's 部分提前还本 of 20180109 (还款额下降), then the rate to 3.1 % on 2019-01-01.
  await addPrepayment(page, 1, '2018-01-09', '10000');
  await expect(eventRow(page, 1)).toContainText('3,310.48');
  await expect(eventRow(page, 1)).toContainText('636,609.84');
  await page.getByRole('button', { name: '添加利率调整' }).click();
  const rate = page.getByRole('group', { name: /^第2项/ });
  await rate.getByLabel(/生效日期/).fill('2019-01-01');
  await rate.getByLabel('新年利率（%）').fill('3.1');
  // The installment of 2019-01-28 is still at 3.25 %; from then on 3.1 % over 259 periods.
  await expect(eventRow(page, 2)).toContainText('3,263.22');
  await expect(eventRow(page, 2)).toContainText('259');
  const totals = page.getByRole('table', { name: '方案合计' });
  await expect(totals.getByRole('row', { name: /利息合计/ })).toContainText('251,609.11');
  await expect(totals.getByRole('row', { name: /节省利息/ })).toContainText('16,376.46');

  // 怎么算的: the prepayment interest with the citizen's own days and numbers.
  await page.getByText('提前还本利息 9.93：怎么算的').click();
  await expect(page.getByText('从2017-12-28到2018-01-09：(2018−2017)×360 + (1−12)×30 + (9−28) = 11天')).toBeVisible();
  await expect(page.getByText('= 9.93055556…，四舍五入到分：9.93')).toBeVisible();
  await page.getByText('利率调整后月还款额 3,263.22：怎么算的').click();
  await expect(page.getByText(/第一个约定还款日2019-01-28仍按原利率还款/)).toBeVisible();
  await page.getByText('节省利息 16,376.46：怎么算的').click();
  await expect(page.getByText('不做任何变更时的利息合计 267,985.57 − 本方案利息合计 251,609.11 = 16,376.46')).toBeVisible();

  // A wrong amount is named on its event, in the trial's words.
  await rate.getByLabel('新年利率（%）').fill('30');
  await expect(rate.getByText('第2项：年利率须大于0且不超过24%')).toBeVisible();
  // The results say why they are gone, and there is nothing to download meanwhile.
  await expect(page.getByRole('alert').filter({ hasText: '无法计算：第2项：年利率须大于0且不超过24%' })).toBeVisible();
  await expect(page.getByRole('link', { name: '下载还款计划（CSV）' })).toBeHidden();
  // The error stands under its field; the label keeps its width.
  const label = await rate.getByText('新年利率（%）').boundingBox();
  expect(label!.width).toBeGreaterThan(60);
  await rate.getByLabel('新年利率（%）').fill('3.1');

  // 方案二: a copy, then 还款额不变 instead; the two side by side with the loan unchanged.
  await page.getByRole('button', { name: '复制为新方案' }).click();
  await expect(page.getByRole('button', { name: '方案二' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('group', { name: /^第1项/ }).getByLabel('调整方式').selectOption('还款额不变，止贷期提前');
  const compare = page.getByRole('region', { name: '方案对比' });
  await expect(compare.getByRole('row', { name: /^到期日期/ })).toContainText('20400828');
  await expect(compare.getByRole('row', { name: /^利息合计/ })).toContainText('267,985.57');
  await page.getByRole('button', { name: '方案一' }).click();
  await expect(eventRow(page, 1)).toContainText('3,310.48');

  // The goal: finish by 2035-12, 还款额不变, with 方案一's events: the smallest thousand.
  await page.getByLabel('提前还款日期').fill('2018-03-10');
  await page.getByLabel('目标', { exact: true }).selectOption('在某年月前还清');
  await page.getByLabel(/还清年月/).fill('2035-12');
  await expect(page.getByRole('status')).toContainText('需提前还本 97,000.00 元（还款额不变，止贷期提前）：到期日期 20351228');
  // Its working: the amount reaches the goal, 1,000 less does not.
  await page.getByText('需提前还本 97,000.00：怎么算的').click();
  await expect(page.getByText('提前还本97,000.00元：到期日期2035-12-28，达到目标')).toBeVisible();
  await expect(page.getByText(/^少1000元即96,000.00元：到期日期2036-\d\d-28，达不到目标/)).toBeVisible();

  await keepScreenshot(page, testInfo, 'plan');
  // Back: the loan's detail again.
  await page.goBack();
  await expect(page.getByRole('heading', { name: '贷款详情' })).toBeVisible();
  expect(problems).toEqual([]);
});

test('the schedule after the events: CSV with Chinese headers, a print view, the share link reopening it in public', async ({ page, browser }) => {
  const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
  await page.addInitScript(() => {
    (window as unknown as { printed: boolean }).printed = false;
    window.print = () => { (window as unknown as { printed: boolean }).printed = true; };
  });
  await page.goto(`/loans/${loan}/plan`);
  // Typed with a thousands separator: the share link must carry it intact.
  await addPrepayment(page, 1, '2018-01-10', '10,000', '还款额不变，止贷期提前');
  await expect(eventRow(page, 1)).toContainText('266');
  await expect(page.getByText('还款计划（共266期）')).toBeVisible();

  // The CSV: UTF-8 with a BOM (Excel, WPS), Chinese headers, the figures as the table shows them.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '下载还款计划（CSV）' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('还款计划.csv');
  const csv = readFileSync(await download.path());
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
  expect(lines[0]).toBe('期次,还款日期,月还款额,本金,利息,剩余本金');
  expect(lines).toHaveLength(267);
  // 636,609.84 after the prepayment: interest round(636609.84 × 3.25 / 1200) = 1724.15.
  expect(lines[1]).toBe('1,2018-01-28,3362.48,1638.33,1724.15,634971.51');
  expect(lines[266]).toMatch(/^266,2040-02-28,/);
  expect(lines[266]).toMatch(/,0\.00$/);

  // 打印: the schedule opens and the print dialog is asked for; printed, the controls are gone.
  await page.getByRole('button', { name: '打印' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: boolean }).printed)).toBe(true);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('region', { name: '还款计划' })).toBeVisible();
  await expect(page.getByRole('button', { name: '添加部分提前还本' })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });

  // The share link: numbers and events only; opened by someone else, not logged in.
  const link = await page.getByLabel(/分享链接/).inputValue();
  expect(link).toContain('/plan#plan=');
  expect(link).not.toContain(loan);
  expect(decodeURIComponent(link)).not.toMatch(/佟一|2015000211|220102/);
  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  await other.goto(link);
  await expect(other.getByRole('heading', { name: '还款规划', exact: true })).toBeVisible();
  await expect(other.getByLabel('贷款余额（元）')).toHaveValue('646609.84');
  await expect(eventRow(other, 1)).toContainText('266');
  await expect(other.getByText('还款计划（共266期）')).toBeVisible();
  await stranger.close();
});

test('the public planner in 关怀版 on a phone: no sideways scroll, the figures readable', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto('/calculator');
  await chooseMode(page, true);
  await page.getByRole('link', { name: /还款规划/ }).click();
  await expect(page).toHaveURL(/\/plan$/);
  await page.getByLabel('贷款余额（元）').fill('646609.84');
  await page.getByLabel('年利率（%）').fill('3.25');
  await page.getByLabel('剩余期数').fill('272');
  await page.getByLabel('上次还款日').fill('2017-12-28');
  await page.getByLabel(/月还款额（元，选填/).fill('3362.48');
  await addPrepayment(page, 1, '2018-01-09', '10000');
  await expect(eventRow(page, 1)).toContainText('3,310.48');
  expect(await horizontalOverflow(page)).toBe(0);
  // 关怀版: at least 24 px for every text on the page, the events' fields included (the chart's
  // own SVG labels aside: it has its table).
  const smallest = await page.evaluate(() => Math.min(...Array.from(document.querySelectorAll<HTMLElement>('main *'))
    .filter((e) => !e.closest('svg') && e.getClientRects().length > 0 &&
      Array.from(e.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ''))
    .map((e) => parseFloat(getComputedStyle(e).fontSize))));
  expect(smallest).toBeGreaterThanOrEqual(24);
  // Reload: the public planner starts over (nothing is stored), the calculator's link is there.
  await page.reload();
  await expect(page.getByLabel('贷款余额（元）')).toHaveValue('');
});

test('offline: the planner opens on the loan saved on this device, and plans', async ({ page, context }) => {
  const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
  // Online once: the loan's detail (its snapshot is kept) with the service worker in control.
  await page.goto(`/loans/${loan}`);
  await expect(page.getByRole('heading', { name: '贷款详情' })).toBeVisible();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: '贷款详情' })).toBeVisible();
  await expect(page.getByText('正在加载')).toHaveCount(0);

  await context.setOffline(true);
  try {
    await page.getByRole('link', { name: '还款规划' }).click();
    await expect(page.getByText(/贷款余额 646,609.84 元/)).toBeVisible();
    await addPrepayment(page, 1, '2018-01-09', '10000');
    await expect(eventRow(page, 1)).toContainText('3,310.48');
    // The public planner from a share link, offline too.
    await page.goto(`/plan#plan=${encodeURIComponent('m=1&b=646609.84&r=3.25&n=272&d=2017-12-28&p=3362.48&s=P,2018-01-10,10000,2,')}`);
    await expect(eventRow(page, 1)).toContainText('266');
  } finally {
    await context.setOffline(false);
  }
});
