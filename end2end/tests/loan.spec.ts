import { expect, test } from '@playwright/test';
import { DEMO, loggedInTwin } from './pages/account';
import { keepScreenshot, watchPage } from './pages/watch';

// Each test acts on a twin of 佟一 of its own (the seed's loan 2015000211 under a new number), so
// any test runs alone and in any order.

/** The figure in the row labelled `label` of the page's figures (the 预约 block apart). */
const figure = (page: import('@playwright/test').Page, label: string) =>
  page.locator('table:not([aria-label="预约"])').getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell');
/** A figure of the manual's 预约 block under 选择还款方式. */
const reserved = (page: import('@playwright/test').Page, label: string) =>
  page.getByRole('table', { name: '预约' }).getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell');

test.describe('贷款：部分提前还本、提前结清、变更还款账号', () => {
  let loan = '';
  test.beforeEach(async ({ page }) => {
    loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
  });

  test('my loan as the manual shows it, with its detail, history and schedule', async ({ page }, testInfo) => {
    const problems = watchPage(page);
    await page.goto('/loans');
    await expect(page.getByRole('heading', { name: '我的住房公积金' })).toBeVisible();
    const row = page.getByRole('row', { name: new RegExp(loan) });
    for (const text of ['正常', '20150828', '690,000.00', '300', '646,609.84', '公积金贷款', '建行9999号']) {
      await expect(row).toContainText(text);
    }
    await expect(page.getByText('公司六七七七')).toBeVisible();
    await keepScreenshot(page, testInfo, 'loans');

    await row.getByRole('link', { name: '详情' }).click();
    // Masked as the manual prints it (the desktop run may already have changed the card).
    await expect(page.getByText(/^621\*{4}\d{4}$/)).toBeVisible();
    await expect(page.getByText('等额本息')).toBeVisible();
    await keepScreenshot(page, testInfo, 'loan-detail');
    await page.getByRole('link', { name: '明细' }).click();
    await expect(page.getByRole('row', { name: /20171228/ })).toContainText('646,609.84');
    await keepScreenshot(page, testInfo, 'loan-history');
    await page.getByRole('link', { name: '还款计划' }).click();
    await expect(page.getByText(/剩余272期/)).toBeVisible();
    await expect(page.getByRole('row', { name: /^1 20180128/ })).toContainText('1,751.23');
    await page.getByRole('button', { name: '下一页' }).click();
    await expect(page.getByText('第2/12页')).toBeVisible();
    await expect(page.getByRole('row', { name: /^25 20200128/ })).toBeVisible();
    await page.getByRole('button', { name: '上一页' }).click();
    await expect(page.getByText('第1/12页')).toBeVisible();
    await keepScreenshot(page, testInfo, 'loan-schedule');
    expect(problems).toEqual([]);
  });

  test('部分提前还本: the seed figures appear as soon as the inputs are valid', async ({ page }, testInfo) => {
    await page.goto(`/loans/${loan}/prepayment`);
    await expect(page.getByRole('heading', { name: '部分提前还本' })).toBeVisible();
    await expect(figure(page, '当期应还合计')).toHaveText('3,362.48');
    // No request is made for a trial: it is computed in the browser.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    await page.getByLabel('约定还款日期').selectOption({ label: '20180109' });
    await page.getByLabel('调整方式').selectOption({ label: '还款额下降，止贷期不变' });
    await page.getByLabel('提前还本金额').fill('10000');
    await expect(figure(page, '变更后月还款额')).toHaveText('3,310.48');
    await expect(figure(page, '变更后剩余期数')).toHaveText('272');
    await expect(figure(page, '变更后到期日期')).toHaveText('20400828');
    await expect(figure(page, '提前还款总额')).toHaveText('10,009.93');
    await expect(figure(page, '提前还本利息')).toHaveText('9.93');
    await expect(figure(page, '变更后贷款余额')).toHaveText('636,609.84');
    await expect(figure(page, '退还利息')).toHaveText('0.00');
    // The manual's 预约 block under 选择还款方式 (its 10000 printed in the hall's one style).
    await expect(page.getByLabel('选择还款方式')).toHaveValue('reserve');
    await expect(reserved(page, '预约提前还款总额')).toHaveText('10,009.93');
    await expect(reserved(page, '预约提前结清本金')).toHaveText('10,000.00');
    await expect(reserved(page, '预约提前结清利息')).toHaveText('9.93');
    await expect(reserved(page, '退还利息')).toHaveText('0.00');

    await page.getByLabel('约定还款日期').selectOption({ label: '20180110' });
    await page.getByLabel('调整方式').selectOption({ label: '还款额不变，止贷期提前' });
    await expect(figure(page, '变更后月还款额')).toHaveText('3,362.48');
    await expect(figure(page, '变更后剩余期数')).toHaveText('266');
    await expect(figure(page, '变更后到期日期')).toHaveText('20400228');
    await expect(figure(page, '提前还款总额')).toHaveText('10,010.83');
    await expect(figure(page, '提前还本利息')).toHaveText('10.83');
    await expect(reserved(page, '预约提前还款总额')).toHaveText('10,010.83');
    await expect(reserved(page, '预约提前结清利息')).toHaveText('10.83');
    // Amounts may be typed as the hall prints them; the page says what it understood.
    await page.getByLabel('提前还本金额').fill('１０，０００.00');
    await expect(page.getByText('即 10,000.00 元')).toBeVisible();
    await expect(figure(page, '提前还款总额')).toHaveText('10,010.83');
    expect(requests.filter((u) => u.includes('/api/'))).toEqual([]);

    // The other modes side by side, and the chart.
    await expect(page.getByRole('heading', { name: '各调整方式对比' })).toBeVisible();
    const chart = page.getByRole('group', { name: '剩余本金随时间变化' });
    await expect(chart).toBeVisible();
    // Labelled axes, a legend that does not rely on colour, values on focus, a table behind it.
    await expect(chart).toContainText('（万元）');
    await expect(chart).toContainText('年');
    await expect(page.getByText('提前还本前（虚线）')).toBeVisible();
    const marker = chart.getByRole('img', { name: /^第5年末：提前还本前 [\d.]+ 万元，提前还本后 [\d.]+ 万元$/ });
    await marker.focus();
    await expect(page.getByText(/^第5年末：提前还本前 [\d.]+ 万元/).locator('visible=true')).toBeVisible();
    await page.getByText('以表格查看（每5年）').click();
    await expect(page.getByRole('row', { name: /^第5年/ })).toBeVisible();
    await keepScreenshot(page, testInfo, 'prepayment');

    await page.getByLabel('提前还本金额').fill('1500');
    await expect(page.getByText('提前还本金额须为1000的倍数')).toBeVisible();
  });

  test('调整月还款额: the trial shows the new installment, maturity and interest', async ({ page }, testInfo) => {
    await page.goto(`/loans/${loan}/adjust`);
    await expect(page.getByRole('heading', { name: '调整月还款额' })).toBeVisible();
    await page.getByLabel('变更后剩余期数').fill('200');
    // 646609.84 at 3.25 % over 200 months, from the next due date 20180128.
    await expect(figure(page, '变更后月还款额')).toHaveText('4,191.60');
    await expect(figure(page, '变更后到期日期')).toHaveText('20340828');
    await expect(figure(page, '生效日期')).toHaveText('20180128');
    await expect(figure(page, '利息变化')).toHaveText(/^-\d{1,3}(,\d{3})*\.\d\d$/);
    await keepScreenshot(page, testInfo, 'adjust');
    await page.getByLabel('变更后剩余期数').fill('400');
    await expect(page.getByText('调整后贷款总期限不能超过360个月')).toBeVisible();
  });

  test('offline: with the network off the trial page still loads and computes', async ({ page, context }, testInfo) => {
    const problems = watchPage(page);
    await page.goto(`/loans/${loan}/prepayment`);
    await expect(figure(page, '当期应还合计')).toHaveText('3,362.48');
    // The service worker is installed and controls the page.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await page.evaluate(() => document.querySelector('link[rel=manifest]')?.getAttribute('href'))).toBe(
      '/manifest.webmanifest',
    );

    await context.setOffline(true);
    try {
      await page.reload();
      await expect(page.getByRole('status').filter({ hasText: '当前网络未连接' })).toContainText('提交业务需要网络连接');
      await page.getByLabel('约定还款日期').selectOption({ label: '20180109' });
      await page.getByLabel('提前还本金额').fill('10000');
      await expect(figure(page, '变更后月还款额')).toHaveText('3,310.48');
      await expect(figure(page, '变更后贷款余额')).toHaveText('636,609.84');
      await keepScreenshot(page, testInfo, 'prepayment-offline');
      await page.getByRole('button', { name: '提交' }).click();
      await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
      await expect(page.getByRole('alert').filter({ hasText: '提交需要网络连接' })).toBeVisible();
    } finally {
      await context.setOffline(false);
    }
    // Offline requests fail by design; nothing else may.
    expect(problems.filter((p) => !p.includes('ERR_INTERNET_DISCONNECTED'))).toEqual([]);
  });

  test('提前结清: the seed figures, and the default blackout refuses the submission', async ({ page }, testInfo) => {
    await page.goto(`/loans/${loan}/settlement`);
    await page.getByLabel('约定还款日').selectOption({ label: '20180110' });
    await expect(figure(page, '提前结清利息')).toHaveText('700.49');
    await expect(figure(page, '提前还款总额')).toHaveText('647,310.33');
    await expect(figure(page, '提前结清本金')).toHaveText('646,609.84');
    await expect(figure(page, '当前账务日期')).toHaveText('20180105');
    await expect(reserved(page, '预约提前还款总额')).toHaveText('647,310.33');
    await expect(reserved(page, '预约提前结清本金')).toHaveText('646,609.84');
    await expect(reserved(page, '预约提前结清利息')).toHaveText('700.49');
    await expect(reserved(page, '退还利息')).toHaveText('0.00');
    // The blackout already decides: the page says so before anything is filled, 提交 is off.
    const refusal = page.getByRole('note').filter({ hasText: '当前不能提交' });
    await expect(refusal).toContainText('12月1日至次年1月31日');
    await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();
    await keepScreenshot(page, testInfo, 'settlement');
  });

  test('a prepayment is reserved once; a second one is refused while it is open', async ({ page }, testInfo) => {
    await page.goto(`/loans/${loan}/prepayment`);
    await page.getByLabel('约定还款日期').selectOption({ label: '20180109' });
    await page.getByLabel('提前还本金额').fill('10000');
    await expect(figure(page, '提前还款总额')).toHaveText('10,009.93');
    await page.getByRole('button', { name: '提交' }).click();
    const dialog = page.getByRole('dialog', { name: '确认部分提前还本' });
    await expect(dialog).toContainText('10,009.93');
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status').filter({ hasText: '部分提前还本：已预约' })).toBeVisible();
    await expect(page.getByText(/申请编号：2018010\d{9}/)).toBeVisible();
    await page.getByRole('navigation', { name: '还款及变更' }).getByRole('link', { name: '返回我的贷款' }).click();
    await expect(page.getByRole('status')).toContainText('已有部分提前还本预约');
    // A second one is refused while it is open: said on the page before anything is filled.
    await page.getByRole('link', { name: '还款及变更' }).locator('visible=true').first().click();
    await expect(page.getByRole('note').filter({ hasText: '已有办理中的业务（部分提前还本，申请编号' })).toBeVisible();
    await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();
  });

  test('变更还款账号 end to end', async ({ page }, testInfo) => {
    const newAccount = '6217001234565678';
    await page.goto(`/loans/${loan}/account`);
    await expect(page.getByText('请输入与当前开户行、开户人名称相同的储蓄账号')).toBeVisible();
    await page.getByLabel('变更后还款储蓄账户账号', { exact: true }).fill(newAccount);
    await page.getByLabel('再次输入变更后还款储蓄账户账号').fill('6217001234560000');
    await page.getByRole('button', { name: '提交' }).click();
    await expect(page.getByRole('alert').filter({ hasText: '两次输入的账号不一致' })).toBeVisible();
    await page.getByLabel('再次输入变更后还款储蓄账户账号').fill(newAccount);
    await expect(page.getByText('两次输入的账号不一致')).toHaveCount(0);
    await keepScreenshot(page, testInfo, 'change-account');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status').filter({ hasText: '变更还款账号：已办结' })).toBeVisible();
    await page.getByRole('link', { name: '返回我的贷款' }).click();
    await page.getByRole('link', { name: '详情' }).locator('visible=true').first().click();
    await expect(page.getByText(`621****${newAccount.slice(-4)}`)).toBeVisible();
  });
});
