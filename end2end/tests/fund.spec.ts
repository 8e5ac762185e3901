import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { DEMO, loggedInTwin } from './pages/account';
import { chooseMode, horizontalOverflow, openScreen } from './pages/hall';
import { keepScreenshot, watchPage } from './pages/watch';

// 我的公积金账户 as 冯七 (a twin of the seed's member: same record and 缴存明细, a number of the
// test's own): 首页, the 缴存明细 with its year filter, pages, CSV and print, and the 年度对账单.
test.describe('我的公积金账户', () => {
  for (const elder of [false, true]) {
  test(`${elder ? '关怀版' : '标准版'}: 首页 shows the account; 缴存明细 filters by year, pages, survives Back and Reload, downloads and prints`, async ({ page }, testInfo) => {
    const problems = watchPage(page);
    await loggedInTwin(page.request, DEMO.FENG_QI);
    await page.goto('/home');
    await chooseMode(page, elder);
    await openScreen(page, '/home', '我的住房公积金首页');
    const account = page.getByRole('region', { name: '我的公积金账户' });
    for (const [term, value] of [
      ['账户余额', '24,902.73 元'],
      ['账户状态', '正常'],
      ['缴存基数', '4,000.00 元'],
      ['缴存比例', '单位 12% / 个人 12%'],
      ['月缴存额', '960.00 元（单位 480.00 + 个人 480.00）'],
      ['缴至年月', '201712'],
      ['开户日期', '20090301'],
      ['关联储蓄卡', '工行 622****4567（正常）'],
    ]) {
      await expect(account.getByRole('definition').filter({ has: page.locator(`xpath=preceding-sibling::dt[1][.="${term}"]`) })).toHaveText(value);
    }
    await keepScreenshot(page, testInfo, `fund-home${elder ? '-elder' : ''}`);

    await account.getByRole('link', { name: '缴存明细' }).click();
    await expect(page.getByRole('heading', { name: '缴存明细', exact: true })).toBeVisible();
    const status = page.getByRole('status').filter({ hasText: /^共 / });
    await expect(status).toHaveText('共 21 条，第 1/2 页（最新的在前）');
    const table = page.getByRole('region', { name: '缴存明细表' });
    // Newest first: December 2017's 汇缴 and the balance the 首页 shows.
    await expect(table.getByRole('row').nth(1)).toHaveText(/^20171215汇缴960\.0024,902\.73201712480\.00480\.00$/);
    await keepScreenshot(page, testInfo, `fund-entries${elder ? '-elder' : ''}`);
    await expect(page.getByText('本系统的明细自20160701起')).toBeVisible();
    await page.getByRole('link', { name: '下一页' }).click();
    await expect(status).toHaveText('共 21 条，第 2/2 页（最新的在前）');
    await expect(table.getByRole('row').last()).toContainText('期初余额');
    await page.goBack();
    await expect(status).toHaveText('共 21 条，第 1/2 页（最新的在前）');

    // One year: its twelve 汇缴, the 补缴 and the 30 June 结息; kept over a reload.
    await page.getByLabel('年度', { exact: true }).selectOption('2017');
    await expect(page).toHaveURL(/\/fund\/entries\?year=2017$/);
    await expect(status).toHaveText('共 14 条，第 1/1 页（最新的在前）');
    await expect(table.getByRole('row', { name: /20170630 结息/ })).toHaveCount(1);
    await expect(table.getByRole('row', { name: /^20170320 补缴 120\.00 [\d,.]+ 201701 60\.00 60\.00$/ })).toHaveCount(1);
    await page.reload();
    await expect(status).toHaveText('共 14 条，第 1/1 页（最新的在前）');
    await expect(page.getByLabel('年度', { exact: true })).toHaveValue('2017');

    // The CSV is the year's rows, oldest first, ending at the balance.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '下载明细（CSV）' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('缴存明细-2017.csv');
    const csv = readFileSync(await download.path());
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString('utf8').slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('记账日期,业务类型,发生额,余额,缴存年月,单位缴存额,个人缴存额');
    expect(lines).toHaveLength(15);
    // 2016 closed at 13,063.30 (the 2016 对账单); + 960.00.
    expect(lines[1]).toBe('2017-01-15,汇缴,960.00,14023.30,201701,480.00,480.00');
    expect(lines).toContain('2017-06-30,结息,199.43,' + lines.find((l) => l.startsWith('2017-06-30'))!.split(',')[3] + ',,,');
    expect(lines[14]).toBe('2017-12-15,汇缴,960.00,24902.73,201712,480.00,480.00');

    // The print view: every row of the year, no navigation on paper.
    await page.getByRole('link', { name: '打印明细' }).click();
    await expect(page.getByRole('heading', { name: '缴存明细', exact: true })).toBeVisible();
    await expect(page.getByText('年度：2017')).toBeVisible();
    await expect(page.getByRole('region', { name: '缴存明细表' }).getByRole('row')).toHaveCount(15);
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
    await keepScreenshot(page, testInfo, `fund-entries-print${elder ? '-elder' : ''}`);
    await page.emulateMedia({ media: 'screen' });
    expect(await horizontalOverflow(page)).toBe(0);
    expect(problems).toEqual([]);
  });
  }

  for (const elder of [false, true]) {
  test(`${elder ? '关怀版' : '标准版'}: 年度对账单 adds up to the fen, year by year, and prints`, async ({ page }, testInfo) => {
    const problems = watchPage(page);
    await loggedInTwin(page.request, DEMO.FENG_QI);
    await page.goto('/home');
    await chooseMode(page, elder);
    await page.getByRole('region', { name: '我的公积金账户' }).getByRole('link', { name: '年度对账单' }).click();
    // The latest year with rows comes first.
    await expect(page.getByRole('heading', { name: '2017年度对账单' })).toBeVisible();
    const figures = page.getByRole('table', { name: '年度对账单' });
    const figure = async (label: string) =>
      (await figures.getByRole('row', { name: label, exact: false }).getByRole('cell').textContent())!.trim();
    const amount = (text: string) => Math.round(Number(text.replace(/,/g, '')) * 100);
    expect(await figure('期末余额')).toBe('24,902.73');
    expect(await figure('本年单位汇缴额')).toBe('5,760.00');
    expect(await figure('本年汇缴月数')).toBe('12个月');
    expect(await figure('本年补缴')).toBe('120.00');
    // opening + deposits − withdrawals + interest = closing, in fen.
    const [opening, deposits, out, interest, closing] = await Promise.all(
      ['期初余额（上年结转）', '本年缴存合计', '本年支出合计', '本年结息', '期末余额'].map(figure),
    );
    expect(amount(opening) + amount(deposits) - amount(out) + amount(interest)).toBe(amount(closing));
    await expect(page.getByText(`= 期末余额 24,902.73`)).toBeVisible();
    await keepScreenshot(page, testInfo, `fund-statement${elder ? '-elder' : ''}`);

    // 2016 closes where 2017 opened; Back returns to 2017.
    await page.getByLabel('年度', { exact: true }).selectOption('2016');
    await expect(page).toHaveURL(/\/fund\/statement\?year=2016$/);
    await expect(page.getByRole('heading', { name: '2016年度对账单' })).toBeVisible();
    expect(await figure('期末余额')).toBe(opening);
    // The recorded history starts 20160701: the first year's period says so.
    await expect(page.getByText('对账期间：20160701 至 20161231')).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('heading', { name: '2017年度对账单' })).toBeVisible();

    await page.getByRole('link', { name: '打印对账单' }).click();
    await expect(page.getByRole('heading', { name: '年度对账单', exact: true })).toBeVisible();
    await expect(page.getByText('对账期间：20170101 至 20171231')).toBeVisible();
    expect(await figure('期末余额')).toBe('24,902.73');
    expect(await horizontalOverflow(page)).toBe(0);
    // 返回 leads back to the year's 对账单 it was printed from.
    await page.getByRole('link', { name: '返回年度对账单' }).click();
    await expect(page).toHaveURL(/\/fund\/statement\?year=2017$/);
    await expect(page.getByRole('heading', { name: '2017年度对账单' })).toBeVisible();
    expect(problems).toEqual([]);
  });
  }

  test('offline: the 缴存明细 and 对账单 seen online open again from the snapshot', async ({ page, context }) => {
    await loggedInTwin(page.request, DEMO.FENG_QI);
    await openScreen(page, '/fund/entries?year=2017', '缴存明细');
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await openScreen(page, '/fund/statement?year=2017', '年度对账单');
    await context.setOffline(true);
    try {
      await page.reload();
      await expect(page.getByRole('heading', { name: '2017年度对账单' })).toBeVisible();
      await expect(page.getByText('当前网络未连接')).toBeVisible();
      await page.goto('/fund/entries?year=2017');
      await expect(page.getByRole('status').filter({ hasText: /^共 / })).toHaveText('共 14 条，第 1/1 页（最新的在前）');
    } finally {
      await context.setOffline(false);
    }
  });
});
