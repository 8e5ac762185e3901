import { execFileSync } from 'node:child_process';
import { expect, test } from '@playwright/test';
import { ensureLoggedIn } from './pages/account';
import { keepScreenshot } from './pages/watch';

// Runs after the desktop and phone projects (playwright.config.ts): their withdrawals (钱二, 郑三)
// and 佟一's prepayment reservation for 20180109 are executed by `hpf batch` on the main server's
// database, as the centre's end-of-day run would.
const hpf = process.env.HPF_BIN ?? '../target/release/hpf';
const database = process.env.HPF_MAIN_DB ?? '';

function batch(date: string): string {
  return execFileSync(hpf, ['batch', '--date', date, '--clock', `${date}T18:00:00+08:00`, '--database-url', database, '--log-level', 'warn'], {
    encoding: 'utf8',
  }).trim();
}

test.describe.serial('日终批处理', () => {
  test.beforeAll(() => {
    // Never skipped: without the database there is nothing to run the batch on.
    expect(database, 'HPF_MAIN_DB names the main server database (set by ./hall test)').not.toBe('');
  });

  test('the withdrawals accepted on 20180105 are done and the accounts closed', async ({ page }, testInfo) => {
    expect(batch('2018-01-05')).toBe('2018-01-05: 2 done, 0 rejected, 0 failed');
    expect(batch('2018-01-05')).toBe('2018-01-05: 0 done, 0 rejected, 0 failed');
    await ensureLoggedIn(page.request, { name: '钱二', idNumber: '220102195403081311', phone: '13904310010' }, 'Demo2018!');
    await page.goto('/progress');
    const entry = page.getByRole('listitem', { name: /^退休销户提取 / });
    await expect(entry.getByRole('list', { name: '办理进度' })).toContainText('受理中 2018-01-05');
    await expect(entry.getByRole('list', { name: '办理进度' })).toContainText('已办结 2018-01-05 18:00:00');
    await keepScreenshot(page, testInfo, 'progress-done');
    await page.goto('/withdrawal');
    await expect(page.getByText('销户', { exact: true })).toBeVisible();
    await expect(page.getByLabel('提取金额：')).toHaveText('0.00');
    await expect(page.getByRole('note', { name: '不符合条件' })).toContainText('账户状态须为封存（当前为销户）');
  });

  test("佟一's prepayment reservation executes on 20180109 and the loan shows the new figures", async ({ page }, testInfo) => {
    expect(batch('2018-01-08')).toBe('2018-01-08: 0 done, 0 rejected, 0 failed');
    expect(batch('2018-01-09')).toBe('2018-01-09: 1 done, 0 rejected, 0 failed');
    await ensureLoggedIn(page.request, { name: '佟一', idNumber: '220102198005202134', phone: '13904310002' }, 'Tong2018!');
    await page.goto('/loans');
    const row = page.getByRole('row', { name: /2015000211/ });
    await expect(row).toContainText('636,609.84');
    await expect(page.getByText('已有部分提前还本预约')).toHaveCount(0);
    await keepScreenshot(page, testInfo, 'loans-after-batch');
    await row.getByRole('link', { name: '详情' }).click();
    await expect(page.getByText('3,310.48', { exact: true })).toBeVisible();
    await expect(page.getByText('272', { exact: true })).toBeVisible();
    await page.getByRole('link', { name: '明细' }).click();
    await expect(page.getByRole('row', { name: /20180109/ })).toContainText('636,609.84');
  });
});
