import { expect, test } from '@playwright/test';
import { CaptchaSolver, DEMO, loggedInTwin } from './pages/account';
import {
  chooseMode, ensureLoggedOut, cutSelects, horizontalOverflow, openScreen, title,
} from './pages/hall';
import { keepScreenshot } from './pages/watch';

// The hall as a web site: addresses, Back/Forward/Reload, deep links, dialogs, 关怀版, reflow and
// accessibility. Each test logs in the person it needs and changes nothing another test reads.

test('every screen has its address: links push history, Back/Forward/Reload return to it', async ({ page }) => {
  const ZHOU_LOAN = (await loggedInTwin(page.request, DEMO.ZHOU_JIU)).borrowerNos[0];
  await page.goto('/home');
  await expect(page).toHaveTitle(title('我的住房公积金首页'));

  await page.getByRole('navigation', { name: '我的业务' }).getByRole('link', { name: '贷款', exact: true }).click();
  await expect(page).toHaveURL('/loans');
  await expect(page).toHaveTitle(title('我的贷款'));
  // The table on a desktop, the buttons under it on a phone: whichever is shown.
  await page.getByRole('link', { name: '详情' }).locator('visible=true').first().click();
  await expect(page).toHaveURL(`/loans/${ZHOU_LOAN}`);
  await expect(page.getByRole('heading', { name: '贷款详情' })).toBeVisible();
  await page.getByRole('link', { name: '还款及变更' }).locator('visible=true').first().click();
  await expect(page).toHaveURL(`/loans/${ZHOU_LOAN}/prepayment`);
  await expect(page).toHaveTitle(title('部分提前还本'));
  await page.getByRole('navigation', { name: '还款及变更' }).getByRole('link', { name: '提前结清贷款' }).click();
  await expect(page).toHaveURL(`/loans/${ZHOU_LOAN}/settlement`);
  await expect(page).toHaveTitle(title('提前结清贷款'));

  await page.goBack();
  await expect(page).toHaveURL(`/loans/${ZHOU_LOAN}/prepayment`);
  await expect(page.getByRole('heading', { name: '部分提前还本' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(`/loans/${ZHOU_LOAN}`);
  await expect(page.getByRole('heading', { name: '贷款详情' })).toBeVisible();
  await page.goForward();
  await expect(page).toHaveURL(`/loans/${ZHOU_LOAN}/prepayment`);
  await expect(page.getByRole('heading', { name: '部分提前还本' })).toBeVisible();

  await page.reload();
  await expect(page).toHaveURL(`/loans/${ZHOU_LOAN}/prepayment`);
  await expect(page.getByRole('heading', { name: '部分提前还本' })).toBeVisible();
  await expect(page).toHaveTitle(title('部分提前还本'));
  // Back all the way: the screens seen, never the login form while the session is live.
  for (const heading of ['贷款详情', '我的住房公积金', '我的住房公积金首页']) {
    await page.goBack();
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  }
});

test('a deep link opens its screen, through the login when the session is gone', async ({ page, browser }) => {
  // The twin is made (and registered) in another context: this page has no session.
  const setup = await browser.newContext();
  const twin = await loggedInTwin(setup.request, DEMO.ZHOU_JIU, 'Twin2018!');
  await setup.close();
  const ZHOU_LOAN = twin.borrowerNos[0];
  const captcha = new CaptchaSolver(page);
  await page.goto(`/loans/${ZHOU_LOAN}/schedule`);
  await expect(page).toHaveURL(`/login?next=%2Floans%2F${ZHOU_LOAN}%2Fschedule`);
  await page.getByLabel('用户名').fill(twin.phone);
  await page.getByLabel('密码', { exact: true }).fill('Twin2018!');
  await captcha.solve();
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(`/loans/${ZHOU_LOAN}/schedule`);
  await expect(page.getByRole('heading', { name: '还款计划' })).toBeVisible();
  await expect(page).toHaveTitle(title('还款计划'));
  // The login page was replaced in the history, not left behind it.
  await page.reload();
  await expect(page.getByRole('heading', { name: '还款计划' })).toBeVisible();
  await page.goto('/login');
  await expect(page).toHaveURL('/home');
});

test('confirmation dialogs hold the focus and close with Escape', async ({ page }) => {
  const ZHOU_LOAN = (await loggedInTwin(page.request, DEMO.ZHOU_JIU)).borrowerNos[0];
  await openScreen(page, `/loans/${ZHOU_LOAN}/account`, '变更还款账号');
  const account = '6217001234561111';
  await page.getByLabel('变更后还款储蓄账户账号', { exact: true }).fill(account);
  await page.getByLabel('再次输入变更后还款储蓄账户账号').fill(account);
  const submit = page.getByRole('button', { name: '提交' });
  await submit.click();
  const dialog = page.getByRole('dialog', { name: '确认变更还款账号' });
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  const confirm = dialog.getByRole('button', { name: '确定' });
  const cancel = dialog.getByRole('button', { name: '取消' });
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(confirm).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(submit).toBeFocused();
  // 取消 closes it the same way; nothing was submitted.
  await submit.click();
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(submit).toBeFocused();
  await expect(page.getByRole('status').filter({ hasText: '变更还款账号' })).toHaveCount(0);

  // The agreement on 注册 is a dialog of the same kind.
  await ensureLoggedOut(page);
  await openScreen(page, '/register', '个人用户注册');
  const opener = page.getByRole('button', { name: '《注册协议》' });
  await opener.click();
  const agreement = page.getByRole('dialog', { name: '注册协议' });
  await expect(agreement.getByRole('button', { name: '我已阅读' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(agreement.getByRole('button', { name: '我已阅读' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(agreement).toHaveCount(0);
  await expect(opener).toBeFocused();
});


test('关怀版: larger text and targets on every page, remembered by the browser', async ({ page }, testInfo) => {
  await openScreen(page, '/login', '个人用户登录');
  await chooseMode(page, false);
  const standard = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  await chooseMode(page, true);
  await expect(page.getByRole('button', { name: '标准版' })).toHaveAttribute('aria-pressed', 'true');
  const measure = () =>
    page.evaluate(() => {
      const body = getComputedStyle(document.body);
      const controls = Array.from(document.querySelectorAll<HTMLElement>('main button, main input, main select, main a.button'))
        .filter((e) => e.offsetParent !== null && e.getAttribute('type') !== 'checkbox');
      // Every piece of text on screen (the chart's own SVG labels aside).
      const texts = Array.from(document.querySelectorAll<HTMLElement>('body *')).filter(
        (e) => !e.closest('svg') && e.getClientRects().length > 0 &&
          Array.from(e.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== ''),
      );
      return {
        font: parseFloat(body.fontSize),
        smallestText: Math.min(...texts.map((e) => parseFloat(getComputedStyle(e).fontSize))),
        lineHeight: parseFloat(body.lineHeight) / parseFloat(body.fontSize),
        lowest: Math.min(...controls.map((e) => e.getBoundingClientRect().height)),
      };
    });
  let sizes = await measure();
  expect(standard).toBe(16);
  expect(sizes.font).toBeGreaterThanOrEqual(24);
  expect(sizes.smallestText).toBeGreaterThanOrEqual(24);
  expect(sizes.lineHeight).toBeGreaterThanOrEqual(1.5);
  expect(sizes.lowest).toBeGreaterThanOrEqual(60);
  expect(await horizontalOverflow(page)).toBe(0);
  await keepScreenshot(page, testInfo, 'elder-login');
  // The soft keyboard's keys are as large as every other target.
  await page.getByRole('button', { name: '软键盘' }).click();
  const key = page.getByRole('group', { name: '密码软键盘' }).getByRole('button', { name: '输入 a', exact: true });
  expect((await key.boundingBox())!.height).toBeGreaterThanOrEqual(60);
  await page.getByRole('button', { name: '关闭软键盘' }).click();

  // Remembered: a reload and a logged-in page keep it; the figures are the same.
  await page.reload();
  await expect(page.locator('html')).toHaveClass(/\belder\b/);
  const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
  await openScreen(page, `/loans/${loan}/prepayment`, '部分提前还本');
  await expect(page.locator('html')).toHaveClass(/\belder\b/);
  sizes = await measure();
  expect(sizes.font).toBeGreaterThanOrEqual(24);
  expect(sizes.smallestText).toBeGreaterThanOrEqual(24);
  expect(sizes.lowest).toBeGreaterThanOrEqual(60);
  await page.getByLabel('提前还本金额').fill('1000');
  await expect(page.getByRole('table', { name: '试算结果' })).not.toContainText('—');
  // The trial figures in one column: each label above its figure.
  const cells = page.getByRole('table', { name: '试算结果' }).getByRole('row').first();
  const [label, value] = [await cells.locator('th').boundingBox(), await cells.locator('td').boundingBox()];
  expect(value!.y).toBeGreaterThan(label!.y);
  expect(await horizontalOverflow(page)).toBe(0);
  // Every choice of 约定还款日期, 调整方式 and 选择还款方式 reads in full, also on a phone.
  expect(await cutSelects(page)).toEqual([]);
  await keepScreenshot(page, testInfo, 'elder-prepayment');
  await chooseMode(page, false);
  await page.reload();
  await expect(page.locator('html')).not.toHaveClass(/\belder\b/);
});

test('assets go out brotli-compressed when the browser accepts it', async ({ page, request }) => {
  await page.goto('/login');
  const wasm = await page.evaluate(() =>
    performance.getEntriesByType('resource').map((e) => e.name).find((n) => n.endsWith('.wasm')),
  );
  expect(wasm).toBeTruthy();
  const br = await request.get(wasm!, { headers: { 'accept-encoding': 'br' } });
  expect(br.headers()['content-encoding']).toBe('br');
  expect(br.headers()['vary']).toContain('accept-encoding');
  const gzip = await request.get(wasm!, { headers: { 'accept-encoding': 'gzip' } });
  expect(gzip.headers()['content-encoding']).toBe('gzip');
  const plain = await request.get(wasm!, { headers: { 'accept-encoding': 'identity' } });
  expect(plain.headers()['content-encoding']).toBeUndefined();
  // The same module either way.
  expect((await br.body()).equals(await plain.body())).toBe(true);
});

test('no doomed forms: a rule that already decides is said first and 提交 is off', async ({ page }) => {
  // 孙八's loan has an installment in arrears: every business on it says so up front.
  const arrears = (await loggedInTwin(page.request, DEMO.SUN_BA)).borrowerNos[0];
  for (const [path, heading] of [['prepayment', '部分提前还本'], ['adjust', '调整月还款额'], ['settlement', '提前结清贷款']]) {
    await openScreen(page, `/loans/${arrears}/${path}`, heading);
    await expect(page.getByRole('note').filter({ hasText: '当前不能提交' })).toContainText('拖欠金额合计为');
    await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();
  }

  // An application already open on the loan: named, with where to cancel it.
  const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
  await openScreen(page, `/loans/${loan}/prepayment`, '部分提前还本');
  await expect(page.getByRole('note').filter({ hasText: '当前不能提交' })).toHaveCount(0);
  await page.getByLabel('提前还本金额').fill('10000');
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByRole('dialog', { name: '确认部分提前还本' }).getByRole('button', { name: '确定' }).click();
  const accepted = page.getByRole('status').filter({ hasText: '部分提前还本：已预约' });
  await expect(accepted).toBeVisible();
  const no = /申请编号：(\d+)/.exec((await accepted.textContent()) ?? '')![1];
  await page.getByRole('navigation', { name: '还款及变更' }).getByRole('link', { name: '调整月还款额' }).click();
  const refusal = page.getByRole('note').filter({ hasText: '当前不能提交' });
  await expect(refusal).toContainText(`已有办理中的业务（部分提前还本，申请编号${no}）`);
  await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();
  // The trial still works under the note.
  await page.getByLabel('变更后剩余期数').fill('200');
  await expect(page.getByRole('table', { name: '试算结果' })).toContainText('4,191.60');
  // The server refuses the same whatever is sent.
  const context = await (await page.request.get(`/api/loans/${loan}/context`)).json();
  expect(context.prepayment_refusal).toContain(no);
});

test('提取: a withdrawal 受理中 can be cancelled on the page until the end-of-day run', async ({ page }) => {
  await loggedInTwin(page.request, DEMO.WANG_WU);
  await openScreen(page, '/withdrawal', '提取');
  // 选择 chooses a material for 购房提取 (issue 14); 王五 has none, so there is nothing to choose.
  await expect(page.getByRole('columnheader', { name: '选择' })).toBeVisible();
  await expect(page.getByRole('button', { name: /^选择/ })).toHaveCount(0);
  await page.getByRole('button', { name: '提交' }).click();
  await page.getByRole('dialog', { name: '确认退休销户提取' }).getByRole('button', { name: '确定' }).click();
  await expect(page.getByRole('status').filter({ hasText: '退休销户提取：受理中' })).toBeVisible();
  await page.reload();
  const pending = page.getByRole('note', { name: '受理中的提取' });
  await expect(pending).toContainText('日终处理前可以撤销');
  await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();
  await pending.getByRole('button', { name: '撤销' }).click();
  await page.getByRole('dialog', { name: '确认撤销' }).getByRole('button', { name: '确定' }).click();
  await expect(pending).toHaveCount(0);
  await expect(page.getByRole('button', { name: '提交' })).toBeEnabled();
  await page.getByRole('link', { name: '业务进度查询' }).first().click();
  await expect(page.getByRole('listitem', { name: /^退休销户提取 / })).toContainText('已撤销');
});

test('offline: every screen opened online opens again from its snapshot, with when it was saved', async ({ page, context }) => {
  const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
  // Online, as a citizen goes: 首页 → 贷款 → 详情 → 明细 → 还款计划, then 业务进度查询 and 提取.
  await openScreen(page, '/home', '我的住房公积金首页');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.getByRole('navigation', { name: '我的业务' }).getByRole('link', { name: '贷款', exact: true }).click();
  await expect(page.getByText('646,609.84').locator('visible=true').first()).toBeVisible();
  await page.getByRole('link', { name: '详情' }).locator('visible=true').first().click();
  await expect(page.getByRole('heading', { name: '贷款详情' })).toBeVisible();
  await page.getByRole('link', { name: '明细' }).first().click();
  await expect(page.getByRole('heading', { name: '贷款明细' })).toBeVisible();
  await page.getByRole('link', { name: '还款计划' }).first().click();
  await expect(page.getByText(/剩余272期/)).toBeVisible();
  const nav = page.getByRole('navigation', { name: '业务导航' });
  await nav.getByRole('link', { name: '业务进度查询' }).click();
  await expect(page.getByRole('heading', { name: '业务进度查询' })).toBeVisible();
  await nav.getByRole('link', { name: '提取' }).click();
  await expect(page.getByRole('heading', { name: '提取', exact: true })).toBeVisible();
  await expect(page.getByText('正在加载')).toHaveCount(0);

  await context.setOffline(true);
  try {
    for (const [path, heading, figure] of [
      ['/home', '我的住房公积金首页', '佟一，您好！'],
      ['/loans', '我的住房公积金', '646,609.84'],
      [`/loans/${loan}`, '贷款详情', '等额本息'],
      [`/loans/${loan}/history`, '贷款明细', '646,609.84'],
      [`/loans/${loan}/schedule`, '还款计划', '1,751.23'],
      ['/progress', '业务进度查询', '暂无业务申请'],
      ['/withdrawal', '提取', '公司六七七七'],
    ]) {
      await page.goto(path);
      await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
      await expect(page.getByText(figure).locator('visible=true').first()).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: '当前网络未连接' })).toContainText(/保存于 \d{4}\/\d{1,2}\/\d{1,2}/);
    }
  } finally {
    await context.setOffline(false);
  }
});

test('a larger browser font makes the whole hall larger (sizes in rem)', async ({ page }) => {
  await openScreen(page, '/login', '个人用户登录');
  await chooseMode(page, false);
  const size = () =>
    page.evaluate(() => ({
      text: parseFloat(getComputedStyle(document.body).fontSize),
      login: document.querySelector('main .button--primary')!.getBoundingClientRect().height,
    }));
  const before = await size();
  // The citizen's browser set to a 24 px default font instead of 16.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: 24 } });
  await page.reload();
  await expect(page.getByRole('heading', { name: '个人用户登录' })).toBeVisible();
  const after = await size();
  expect(before.text).toBe(16);
  expect(after.text).toBe(24);
  expect(after.login).toBeGreaterThan(before.login * 1.3);
});
