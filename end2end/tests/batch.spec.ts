import { execFileSync } from 'node:child_process';
import { expect, Page, test } from '@playwright/test';
import { DEMO, ensureLoggedIn, loggedInTwin, Twin } from './pages/account';
import { keepScreenshot } from './pages/watch';

// 日终批处理 on a server of its own (./hall test starts it; no other spec acts there), so the run's
// counts are exactly what this test submitted: two 退休销户提取 and one 部分提前还本 reservation,
// made through the pages, then `hpf batch` on that server's database as the centre's end-of-day
// run would, and the results in the browser.
const hpf = process.env.HPF_BIN ?? '../target/release/hpf';
const database = process.env.HPF_BATCH_DB ?? '';
const PASSWORD = 'Twin2018!';

function batch(date: string): string {
  return execFileSync(hpf, ['batch', '--date', date, '--clock', `${date}T18:00:00+08:00`, '--database-url', database, '--log-level', 'warn'], {
    encoding: 'utf8',
  }).trim();
}

async function withdraw(page: Page): Promise<Twin> {
  const retiree = await loggedInTwin(page.request, DEMO.WANG_WU, PASSWORD);
  await page.goto('/withdrawal');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByRole('dialog', { name: '确认退休销户提取' }).getByRole('button', { name: '确定' }).click();
  await expect(page.getByRole('status').filter({ hasText: '退休销户提取：受理中' })).toBeVisible();
  return retiree;
}

test('日终批处理 executes what was accepted and reserved, once, and the pages show it', async ({ page }, testInfo) => {
  // Never skipped: without the database there is nothing to run the batch on.
  expect(database, 'HPF_BATCH_DB names the batch server database (set by ./hall test)').not.toBe('');
  const first = await withdraw(page);
  await withdraw(page);
  const tong = await loggedInTwin(page.request, DEMO.TONG_YI, PASSWORD);
  const loan = tong.borrowerNos[0];
  await page.getByRole('navigation', { name: '业务导航' }).getByRole('link', { name: '贷款' }).click();
  await page.getByRole('link', { name: '还款及变更' }).locator('visible=true').first().click();
  await page.getByRole('link', { name: '部分提前还本' }).click();
  await page.getByLabel('约定还款日期').selectOption({ label: '20180109' });
  await page.getByLabel('提前还本金额').fill('10000');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByRole('dialog', { name: '确认部分提前还本' }).getByRole('button', { name: '确定' }).click();
  await expect(page.getByRole('status').filter({ hasText: '部分提前还本：已预约' })).toBeVisible();

  // The withdrawals accepted on 20180105 are done, once; the reservation waits for its date.
  expect(batch('2018-01-05')).toBe('2018-01-05: 2 done, 0 rejected, 0 failed');
  expect(batch('2018-01-05')).toBe('2018-01-05: 0 done, 0 rejected, 0 failed');
  await ensureLoggedIn(page.request, first, PASSWORD);
  await page.getByRole('navigation', { name: '业务导航' }).getByRole('link', { name: '业务进度查询' }).click();
  const entry = page.getByRole('listitem', { name: /^退休销户提取 / });
  await expect(entry.getByRole('list', { name: '办理进度' })).toContainText('受理中 2018-01-05');
  await expect(entry.getByRole('list', { name: '办理进度' })).toContainText('已办结 2018-01-05 18:00:00');
  await expect(entry.getByRole('button', { name: '撤销' })).toHaveCount(0);
  await keepScreenshot(page, testInfo, 'progress-done');
  await page.getByRole('navigation', { name: '业务导航' }).getByRole('link', { name: '提取' }).click();
  await expect(page.getByText('销户', { exact: true })).toBeVisible();
  await expect(page.getByLabel('提取金额：')).toHaveText('0.00');
  await expect(page.getByRole('note', { name: '不符合条件' })).toContainText('账户状态须为封存（当前为销户）');

  // 佟一's reservation executes on 20180109 and the loan shows the new figures.
  expect(batch('2018-01-08')).toBe('2018-01-08: 0 done, 0 rejected, 0 failed');
  expect(batch('2018-01-09')).toBe('2018-01-09: 1 done, 0 rejected, 0 failed');
  await ensureLoggedIn(page.request, tong, PASSWORD);
  await page.getByRole('navigation', { name: '业务导航' }).getByRole('link', { name: '贷款' }).click();
  const row = page.getByRole('row', { name: new RegExp(loan) });
  await expect(row).toContainText('636,609.84');
  await expect(page.getByText('已有部分提前还本预约')).toHaveCount(0);
  await keepScreenshot(page, testInfo, 'loans-after-batch');
  await page.getByRole('link', { name: '详情' }).locator('visible=true').first().click();
  // The loan's own figures (按月对冲's box below repeats the installment).
  const facts = page.locator('dl.facts--two');
  await expect(facts.getByText('3,310.48', { exact: true })).toBeVisible();
  await expect(facts.getByText('272', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: '明细' }).first().click();
  await expect(page.getByRole('row', { name: /20180109/ })).toContainText('636,609.84');
});
