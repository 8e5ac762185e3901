import { expect, test } from '@playwright/test';
import { LoginPage } from './pages/login';
import { keepScreenshot, watchPage } from './pages/watch';

test('the login page loads cleanly in Chinese', async ({ page }, testInfo) => {
  const problems = watchPage(page);
  const login = new LoginPage(page);
  await login.open();

  await expect(page).toHaveTitle('个人用户登录 - 个人网上服务大厅');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(login.username).toBeVisible();
  await expect(login.password).toBeVisible();
  await expect(login.captcha).toBeVisible();
  await expect(page.getByRole('link', { name: '新用户注册' })).toBeVisible();
  await expect(page.getByRole('link', { name: '忘记密码' })).toBeVisible();
  // The business date comes from the server's clock (the demo runs at the seed's 2018-01-05).
  await expect(page.getByText('当前账务日期 20180105')).toBeVisible();

  // An empty submission is refused with a message naming the field, and nothing is sent.
  await login.submit.click();
  await expect(login.message).toHaveText('请输入用户名（证件号码或手机号）');

  await keepScreenshot(page, testInfo, 'login');
  expect(problems).toEqual([]);
});

test('client routes fall back to the app, unknown API paths do not', async ({ page, request }) => {
  await page.goto('/some/client/route');
  await expect(page.getByRole('heading', { name: '页面不存在' })).toBeVisible();
  const api = await request.get('/api/no-such-thing');
  expect(api.status()).toBe(404);
  expect((await api.json()).code).toBe('not_found');
  const health = await (await request.get('/api/health')).json();
  expect(health.status).toBe('ok');
});
