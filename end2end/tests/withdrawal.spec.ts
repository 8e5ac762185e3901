import { expect, test } from '@playwright/test';
import { DEMO, ensureLoggedIn, loggedInTwin, RESET_PASSWORD } from './pages/account';
import { keepScreenshot, watchPage } from './pages/watch';

const FENG_QI = { name: '冯七', idNumber: '220102197803121510', phone: '13904310001' };
/** 王五, sealed, born 1955, own card 正常: his twins may withdraw. */
const WANG_WU_BALANCE = '86432.15';
/** 73905.26 → 73,905.26, as the progress list prints amounts. */
const thousands = (yuan: string) => yuan.replace(/\B(?=(\d{3})+\.)/g, ',');

// Each test has its own person (a twin of a demo member, or 冯七 whose seed material it reads).
test.describe('提取、业务进度查询、查询打印', () => {
  test('冯七 (正常) sees the withdrawal refused with every reason, and adds a material', async ({ page }, testInfo) => {
    const problems = watchPage(page);
    // 冯七 himself (the seed's material is his): registered with this password the first time.
    await ensureLoggedIn(page.request, FENG_QI, RESET_PASSWORD);
    await page.goto('/home');
    await page.getByRole('link', { name: '提取' }).first().click();
    await expect(page.getByRole('heading', { name: '提取', exact: true })).toBeVisible();
    for (const text of ['333', '公司三五五五五五五五', '3934081', '冯七']) {
      await expect(page.locator('.member-header')).toContainText(text);
    }
    const material = page.getByRole('row', { name: /22001010001800000001/ });
    for (const text of ['购买自住住房', '长春市浦东路与会展大街交汇', '2,365,897.00', '有效']) {
      await expect(material).toContainText(text);
    }
    await expect(page.getByText('24,902.73').first()).toBeVisible();
    const reasons = page.getByRole('note', { name: '不符合条件' });
    await expect(reasons).toContainText('账户状态须为封存（当前为正常）');
    await expect(reasons).toContainText('未达到退休年龄');
    await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();
    await keepScreenshot(page, testInfo, 'withdrawal-refused');

    await page.getByRole('button', { name: '新增提取材料' }).click();
    const form = page.getByRole('form', { name: '新增提取材料' });
    await form.getByRole('button', { name: '保存' }).click();
    await expect(form.getByText('请选择提取原因')).toBeVisible();
    await form.getByLabel('提取原因').selectOption('租赁自住住房');
    await expect(form.getByText('请选择提取原因')).toHaveCount(0);
    await form.getByLabel('地址').fill('长春市南关区人民大街88号');
    await form.getByLabel('提取限额(元)').fill('12000');
    await keepScreenshot(page, testInfo, 'withdrawal-material');
    await form.getByRole('button', { name: '保存' }).click();
    await expect(page.getByRole('row', { name: /租赁自住住房/ }).first()).toContainText(/2200101000180000000\d/);
    expect(problems.filter((p) => !/\b422\b/.test(p))).toEqual([]);
  });

  test('a sealed retiree submits; 业务进度查询 shows it 受理中 with its receipt', async ({ page }, testInfo) => {
    const twin = await loggedInTwin(page.request, DEMO.WANG_WU);
    const retiree = { ...twin, balance: WANG_WU_BALANCE };
    await page.goto('/withdrawal');
    await expect(page.getByRole('note', { name: '不符合条件' })).toHaveCount(0);
    await expect(page.getByLabel('提取金额：')).toHaveText(thousands(retiree.balance));
    await keepScreenshot(page, testInfo, 'withdrawal');
    await page.getByRole('button', { name: '提交' }).click();
    const dialog = page.getByRole('dialog', { name: '确认退休销户提取' });
    await expect(dialog).toContainText(thousands(retiree.balance));
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status').filter({ hasText: '退休销户提取：受理中' })).toBeVisible();
    await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();

    await page.getByRole('link', { name: '在业务进度查询中查看' }).click();
    const entry = page.getByRole('listitem', { name: /^退休销户提取 / });
    await expect(entry).toContainText('受理中');
    await expect(entry).toContainText(thousands(retiree.balance));
    await expect(entry.getByRole('list', { name: '办理进度' })).toContainText('受理中 2018-01-05');
    // 受理中 until the end-of-day run: it may still be cancelled (the batch spec executes it).
    await expect(entry.getByRole('button', { name: '撤销' })).toBeVisible();
    await keepScreenshot(page, testInfo, 'progress');
    await entry.getByRole('link', { name: '打印回执' }).click();
    const receipt = page.getByRole('table', { name: '业务回执' });
    await expect(receipt).toContainText('退休销户提取');
    await expect(receipt).toContainText(retiree.name);
    // The amount once, as the withdrawal's 提取金额.
    await expect(receipt.getByRole('row', { name: /^提取金额/ })).toContainText(thousands(retiree.balance));
    await expect(receipt.getByRole('row', { name: /金额/ })).toHaveCount(1);
    await expect(page.getByText('住房公积金管理中心').last()).toBeVisible();
    await keepScreenshot(page, testInfo, 'receipt');
    // On paper: no navigation, the centre's name, the figures and the date.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('.site-header')).toBeHidden();
    await expect(page.getByRole('button', { name: '打印' })).toBeHidden();
    await expect(page.getByText(/打印日期：20180105/)).toBeVisible();
    await keepScreenshot(page, testInfo, 'receipt-print');
    // 返回 leads back to 业务进度查询, where the receipt was opened, also after a reload.
    await page.emulateMedia({ media: 'screen' });
    await page.reload();
    await page.getByRole('link', { name: '返回业务进度查询' }).click();
    await expect(page).toHaveURL(/\/progress$/);
    await expect(page.getByRole('listitem', { name: /^退休销户提取 / })).toContainText('受理中');
  });

  test('a reservation is cancelled before its date; cancelling it again is refused', async ({ page }, testInfo) => {
    await loggedInTwin(page.request, DEMO.ZHOU_JIU);
    await page.goto('/loans');
    await page.getByRole('link', { name: '还款及变更' }).locator('visible=true').first().click();
    await page.getByRole('link', { name: '部分提前还本' }).click();
    await page.getByLabel('提前还本金额').fill('1000');
    await expect(page.getByRole('table', { name: '试算结果' })).not.toContainText('—');
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status').filter({ hasText: '部分提前还本：已预约' })).toBeVisible();

    await page.getByRole('navigation', { name: '业务导航' }).getByRole('link', { name: '业务进度查询' }).click();
    const entry = page.getByRole('listitem', { name: /^部分提前还本 / }).first();
    await expect(entry).toContainText('已预约');
    await entry.getByRole('button', { name: '撤销' }).click();
    await page.getByRole('dialog', { name: '确认撤销' }).getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status')).toContainText('已撤销');
    await expect(entry).toContainText('已撤销');
    await expect(entry.getByRole('button', { name: '撤销' })).toHaveCount(0);
    await keepScreenshot(page, testInfo, 'progress-cancelled');
    // A second cancellation (another tab, a double click) is refused clearly by the server.
    const no = (await entry.getAttribute('aria-label'))!.split(' ')[1];
    const again = await page.request.post(`/api/progress/${no}/cancel`, { headers: { 'x-hpf-csrf': '1' }, data: {} });
    expect(again.status()).toBe(422);
    expect((await again.json()).message).toBe('该业务已撤销，无需再次撤销');
  });

  test('查询打印: the schedule and the statement print without the navigation', async ({ page }, testInfo) => {
    await loggedInTwin(page.request, DEMO.ZHOU_JIU);
    await page.goto('/print');
    await expect(page.getByRole('heading', { name: '查询打印' })).toBeVisible();
    await keepScreenshot(page, testInfo, 'print');
    await page.getByRole('link', { name: '打印还款计划' }).first().click();
    await expect(page.getByRole('heading', { name: '还款计划' })).toBeVisible();
    await expect(page.getByText(/^剩余\d+期/)).toBeVisible();
    await page.emulateMedia({ media: 'print' });
    await expect(page.getByRole('navigation', { name: '业务导航' })).toBeHidden();
    await keepScreenshot(page, testInfo, 'print-schedule');
    await page.emulateMedia({ media: 'screen' });
    await page.getByRole('link', { name: '返回查询打印' }).click();
    await page.getByRole('link', { name: '打印贷款明细' }).first().click();
    await expect(page.getByRole('heading', { name: '贷款明细' })).toBeVisible();
    await expect(page.getByRole('row', { name: /放款/ })).toBeVisible();
    await keepScreenshot(page, testInfo, 'print-statement');
  });

  test('the balance changes after the page showed it: the server answers with its own figure and message, nothing is accepted', async ({ page }, testInfo) => {
    const twin = await loggedInTwin(page.request, DEMO.WANG_WU);
    await page.goto('/withdrawal');
    await expect(page.getByLabel('提取金额：')).toHaveText(thousands(WANG_WU_BALANCE));
    // The back office credits 100.00 meanwhile (a test hook standing in for its import).
    const credited = await page.request.post('/api/test/deposit', {
      headers: { 'x-hpf-csrf': '1' },
      data: { personal_account: twin.personalAccount, amount: '100.00' },
    });
    expect(credited.ok(), await credited.text()).toBeTruthy();
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('dialog', { name: '确认退休销户提取' }).getByRole('button', { name: '确定' }).click();
    const changed = page.getByRole('alert').filter({ hasText: '账户余额已变化' });
    await expect(changed).toContainText('账户余额已变化，提取金额已按最新数据更新，请核对后再提交');
    await expect(changed).toContainText('提取金额：86,432.15 → 86,532.15');
    await expect(changed).not.toContainText('贷款');
    await keepScreenshot(page, testInfo, 'withdrawal-changed');
    // Nothing was accepted: a reload shows the new amount and 提交 open.
    await page.reload();
    await expect(page.getByLabel('提取金额：')).toHaveText('86,532.15');
    await expect(page.getByRole('button', { name: '提交' })).toBeEnabled();
  });
});
