import { expect, test } from '@playwright/test';
import { CaptchaSolver, DEMO, Login, makeTwin, RegisterPage, smsCode, typeWithSoftKeyboard } from './pages/account';
import { keepScreenshot, watchPage } from './pages/watch';

// Each test makes the people it needs: twins of demo members (the same record under fresh
// numbers), unregistered or registered, so every test runs alone and in any order.
const PASSWORD = 'Hall2018!';
const NEW_PASSWORD = 'Reset2018#';

test.describe('注册、登录、忘记密码', () => {
  test('a mismatched name is refused with the manual message, then registration succeeds', async ({ page, request }, testInfo) => {
    const member = await makeTwin(request, DEMO.FENG_QI);
    const stranger = await makeTwin(request, DEMO.CHEN_JING);
    const problems = watchPage(page);
    const register = new RegisterPage(page, new CaptchaSolver(page));
    await register.open();
    await expect(page.getByLabel('证件类型')).toHaveValue('id_card');

    // Password rules show live which rule is unmet.
    await page.getByLabel('输入密码', { exact: true }).fill('12345');
    await expect(page.getByRole('listitem').filter({ hasText: '长度为6-16位' })).toContainText('未满足');
    await keepScreenshot(page, testInfo, 'register');

    // A real member's ID and phone with another name: the three factors do not match.
    await register.fillIdentity({ ...stranger, name: '王小二' });
    await register.requestCode(request, stranger.phone);
    await page.getByLabel('输入密码', { exact: true }).fill(PASSWORD);
    await page.getByLabel('确认密码', { exact: true }).fill(PASSWORD);
    await expect(page.getByRole('listitem').filter({ hasText: '长度为6-16位' })).toContainText('已满足');
    await page.getByLabel('本人已阅读并同意').check();
    await page.getByRole('button', { name: '注册', exact: true }).click();
    await expect(register.message).toContainText('三要素与中心系统中的账户信息不符');

    // The agreement opens as a dialog.
    await page.getByRole('button', { name: '《注册协议》' }).click();
    await expect(page.getByRole('dialog', { name: '注册协议' })).toBeVisible();
    await page.getByRole('button', { name: '我已阅读' }).click();

    // The member themself registers.
    await register.registerAs(request, member, PASSWORD);
    await expect(page.getByRole('status').filter({ hasText: '注册成功' })).toBeVisible();
    // The one expected failure is the refused registration (422), which Chromium also echoes to
    // the console; anything else is a problem.
    expect(problems.filter((p) => !/\b422\b/.test(p))).toEqual([]);
  });

  test('log in with the soft keyboard only, after a wrong captcha and 换一张', async ({ page, request }, testInfo) => {
    const member = await makeTwin(request, DEMO.FENG_QI, PASSWORD);
    const captcha = new CaptchaSolver(page);
    await page.goto('/login');
    await page.getByLabel('用户名').fill(member.idNumber);
    await typeWithSoftKeyboard(page, '密码', PASSWORD);
    await expect(page.getByLabel('密码', { exact: true })).toHaveValue(PASSWORD);

    const image = page.getByRole('img', { name: '附加码图片' });
    await expect(image).toHaveAttribute('src', /^data:image\/bmp/);
    await page.getByLabel('附加码', { exact: true }).fill('0000');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByRole('alert')).toHaveText(/附加码/);

    const before = await image.getAttribute('src');
    await page.getByRole('button', { name: '看不清，换一张' }).click();
    await expect(image).not.toHaveAttribute('src', before!);
    await captcha.solve();
    await keepScreenshot(page, testInfo, 'login-keyboard');
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page.getByRole('heading', { name: '我的住房公积金首页' })).toBeVisible();
    await expect(page.getByText(`${member.name}，您好！`)).toBeVisible();
    // Personal data comes masked.
    await expect(page.getByText(`${member.idNumber.slice(0, 6)}********${member.idNumber.slice(14)}`)).toBeVisible();
    await keepScreenshot(page, testInfo, 'home');

    // 退出 ends the session on the server: the home page now sends to login and back.
    await page.getByRole('button', { name: '退出' }).click();
    await expect(page.getByRole('heading', { name: '个人用户登录' })).toBeVisible();
    await page.goto('/home');
    await expect(page).toHaveURL(/\/login\?next=%2Fhome/);
  });

  test('five wrong passwords lock the account with the remaining time', async ({ page, request }, testInfo) => {
    const locked = await makeTwin(request, DEMO.LI_MEI);
    const captcha = new CaptchaSolver(page);
    const register = new RegisterPage(page, captcha);
    await register.registerAs(request, locked, PASSWORD);
    await expect(page.getByRole('status').filter({ hasText: '注册成功' })).toBeVisible();

    const login = new Login(page, captcha);
    for (let attempt = 1; attempt <= 4; attempt++) {
      await login.as(locked.phone, 'Wrong2018!');
      await expect(page.getByRole('alert')).toHaveText(`用户名或密码错误，还可尝试${5 - attempt}次`);
    }
    await login.as(locked.phone, 'Wrong2018!');
    await expect(page.getByRole('alert')).toContainText('账户已锁定，请30分钟后再试');
    await expect(page.getByRole('alert')).toContainText('忘记密码');
    await login.as(locked.phone, PASSWORD);
    await expect(page.getByRole('alert')).toContainText('账户已锁定');
  });

  test('forgot password, then log in with the new one and land where you wanted', async ({ page, request }, testInfo) => {
    const member = await makeTwin(request, DEMO.FENG_QI, PASSWORD);
    const captcha = new CaptchaSolver(page);
    await page.goto('/forgot');
    await expect(page.getByRole('heading', { name: '重置密码' })).toBeVisible();
    await keepScreenshot(page, testInfo, 'reset');
    await page.getByLabel('姓名').fill(member.name);
    await page.getByLabel('证件号码').fill(member.idNumber);
    await page.getByLabel('手机号').fill(member.phone);
    await captcha.solve();
    await page.getByRole('button', { name: '获取验证码' }).click();
    await expect(page.getByRole('button', { name: /秒后重新获取/ })).toBeVisible();
    await page.getByLabel('短信验证码').fill(await smsCode(request, member.phone));
    await page.getByLabel('新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('确认新密码', { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole('button', { name: '重置密码' }).click();
    await expect(page.getByRole('status').filter({ hasText: '密码已重置' })).toBeVisible();

    const login = new Login(page, captcha);
    await login.as(member.idNumber, PASSWORD);
    await expect(page.getByRole('alert')).toHaveText('用户名或密码错误，还可尝试4次');
    await page.goto('/home');
    await expect(page).toHaveURL(/\/login\?next=%2Fhome/);
    await page.getByLabel('用户名').fill(member.phone);
    await page.getByLabel('密码', { exact: true }).fill(NEW_PASSWORD);
    await captcha.solve();
    await page.getByRole('button', { name: '登录', exact: true }).click();
    await expect(page).toHaveURL(/\/home$/);
    await expect(page.getByRole('heading', { name: '我的住房公积金首页' })).toBeVisible();
  });
});

test('短信验证码登录: a citizen whose password a stranger locked gets in with the phone', async ({ page, request }, testInfo) => {
  const member = await makeTwin(request, DEMO.FENG_QI, PASSWORD);
  // A stranger's five wrong passwords lock the password.
  const headers = { 'x-hpf-csrf': '1' };
  for (let i = 0; i < 5; i++) {
    const c = await (await request.post('/api/account/captcha', { headers })).json();
    await request.post('/api/account/login', {
      headers, data: { username: member.phone, password: 'Wrong2018!', captcha_id: c.id, captcha: c.answer },
    });
  }
  const captcha = new CaptchaSolver(page);
  await new Login(page, captcha).as(member.phone, PASSWORD);
  await expect(page.getByRole('alert')).toContainText('短信验证码登录');

  await page.getByRole('button', { name: '短信验证码登录' }).click();
  await expect(page.getByRole('button', { name: '短信验证码登录' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByLabel('手机号').fill(member.phone);
  await captcha.solve();
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByRole('button', { name: /秒后重新获取/ })).toBeVisible();
  await page.getByLabel('短信验证码').fill(await smsCode(request, member.phone));
  await keepScreenshot(page, testInfo, 'login-sms');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/home$/);
  await expect(page.getByText(`${member.name}，您好！`)).toBeVisible();
});
