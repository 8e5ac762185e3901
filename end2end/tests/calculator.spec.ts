import { expect, test } from '@playwright/test';
import { keepScreenshot, watchPage } from './pages/watch';

const figure = (page: import('@playwright/test').Page, table: string, label: string) =>
  page.getByRole('table', { name: table }).getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell');

test('贷款试算器: anyone, without logging in, reproduces the seed figures', async ({ page }, testInfo) => {
  const problems = watchPage(page);
  await page.goto('/login');
  await page.getByRole('link', { name: '贷款试算器（无需登录）' }).click();
  await expect(page.getByRole('heading', { name: '贷款试算器' })).toBeVisible();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));

  // 佟一's loan as it stands on the seed's screens, typed in by hand.
  await page.getByLabel('还款方式').selectOption({ label: '等额本息' });
  await page.getByLabel('贷款余额（元）').fill('646609.84');
  await page.getByLabel('年利率（%）').fill('3.25');
  await page.getByLabel('剩余期数').fill('272');
  await page.getByLabel('上次还款日').fill('2017-12-28');
  await expect(figure(page, '贷款情况', '月还款额')).toHaveText('3,362.48');
  await expect(figure(page, '贷款情况', '下一约定还款日')).toHaveText('20180128');

  await page.getByLabel('约定还款日期').fill('2018-01-10');
  await page.getByLabel('调整方式').selectOption({ label: '还款额不变，止贷期提前' });
  await page.getByLabel('提前还本金额').fill('10000');
  const trial = '部分提前还本试算结果';
  await expect(figure(page, trial, '变更后月还款额')).toHaveText('3,362.48');
  await expect(figure(page, trial, '变更后剩余期数')).toHaveText('266');
  await expect(figure(page, trial, '变更后到期日期')).toHaveText('20400228');
  await expect(figure(page, trial, '提前还款总额')).toHaveText('10,010.83');
  await expect(figure(page, trial, '提前还本利息')).toHaveText('10.83');
  const settled = '提前结清试算结果';
  await expect(figure(page, settled, '提前结清本金')).toHaveText('646,609.84');
  await expect(figure(page, settled, '提前结清利息')).toHaveText('700.49');
  await expect(figure(page, settled, '提前还款总额')).toHaveText('647,310.33');
  // All three modes side by side, and the chart.
  const modes = page.getByRole('heading', { name: '各调整方式对比' });
  await expect(modes).toBeVisible();
  await expect(page.getByRole('row', { name: /^还款额下降，止贷期不变/ })).toContainText('3,310.48');
  await expect(page.getByRole('group', { name: '剩余本金随时间变化' })).toBeVisible();
  await keepScreenshot(page, testInfo, 'calculator');

  // Field errors beside the field, in Chinese.
  await page.getByLabel('年利率（%）').fill('30');
  await expect(page.getByText('年利率须大于0且不超过24%')).toBeVisible();
  await page.getByLabel('年利率（%）').fill('3.25');
  await page.getByLabel('提前还本金额').fill('1500');
  await expect(page.getByText('提前还本金额须为1000的倍数')).toBeVisible();
  await page.getByLabel('提前还本金额').fill('10000');
  await page.getByLabel('约定还款日期').fill('2018-01-28');
  await expect(page.getByText('约定还款日期须早于下一约定还款日20180128')).toBeVisible();

  // Computed in the browser: no API call while typing.
  expect(requests.filter((u) => u.includes('/api/'))).toEqual([]);
  expect(problems).toEqual([]);
});
