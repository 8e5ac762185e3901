import { expect, test } from '@playwright/test';
import { DEMO, loggedInTwin } from './pages/account';
import { keepScreenshot, watchPage } from './pages/watch';


test('a minute before the idle timeout the hall warns; 继续使用 keeps the session, silence ends it', async ({ page }, testInfo) => {
  const problems = watchPage(page);
  // A twin of 吴十 (a settled borrower): a person of this test's own.
  await loggedInTwin(page.request, DEMO.WU_SHI);
  // The page's own clock, moved by the test: the warning counts from the last answer of the server.
  await page.clock.install();
  await page.goto('/home');
  await expect(page.getByRole('heading', { name: '我的住房公积金首页' })).toBeVisible();
  // The page's data is in (its answer is the last activity before the clock moves).
  await expect(page.getByText('账户余额')).toBeVisible();
  const warning = page.getByRole('alertdialog');
  await expect(warning).toHaveCount(0);

  // 13 minutes quiet: nothing yet (the demo's idle timeout is 15 minutes).
  await page.clock.fastForward('13:00');
  await page.clock.runFor(2000);
  await expect(warning).toHaveCount(0);

  // 14 minutes: the warning, then 继续使用 asks the server again and the warning goes.
  await page.clock.fastForward('01:05');
  await expect(warning).toContainText('登录将在1分钟后失效');
  await keepScreenshot(page, testInfo, 'idle-warning');
  // 继续使用 asks the server who is logged in; the page is drawn again with that answer and
  // fetches its data (the account on 首页). Each answer counts as activity: the clock moves on only
  // once they are in, or an answer landing after the jump would restart the count.
  const answered = Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/account/me')),
    page.waitForResponse((r) => r.url().endsWith('/api/fund')),
  ]);
  await warning.getByRole('button', { name: '继续使用' }).click();
  await answered;
  await expect(warning).toHaveCount(0);
  await page.clock.fastForward('13:00');
  await page.clock.runFor(2000);
  await expect(warning).toHaveCount(0);
  await expect(page).toHaveURL(/\/home$/);

  // Then 15 minutes of silence: back to the login page, told why, with the way back kept.
  await page.clock.fastForward('02:05');
  await expect(page).toHaveURL(/\/login\?expired=1&next=%2Fhome$/);
  await expect(page.getByText('登录已超时，请重新登录。')).toBeVisible();
  expect(problems).toEqual([]);
});
