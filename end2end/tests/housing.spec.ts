import { expect, Page, test } from '@playwright/test';
import { DEMO, loggedInTwin } from './pages/account';
import { chooseMode, horizontalOverflow } from './pages/hall';
import { keepScreenshot, watchPage } from './pages/watch';

// 购房提取, 租房提取, 偿还贷款提取（按年） from 提取 through the confirmation to 业务进度查询 and the
// receipt, each as a person of its own (a twin of a demo member: the same fund account and loans,
// numbers of the test's own). The end-of-day run that pays them is the server tests' (both
// databases) and the batch spec's.

async function openWithdrawal(page: Page) {
  await page.getByRole('link', { name: '提取', exact: true }).first().click();
  await expect(page.getByRole('heading', { name: '提取', exact: true })).toBeVisible();
  await expect(page.getByText('正在加载')).toHaveCount(0);
}

/** 首页 → 贷款 → 详情, as a citizen goes. */
async function openLoanDetail(page: Page, loan: string) {
  await page.goto('/home');
  await page.getByRole('navigation', { name: '我的业务' }).getByRole('link', { name: '贷款', exact: true }).click();
  await page.getByRole('link', { name: '详情' }).locator('visible=true').first().click();
  await expect(page).toHaveURL(`/loans/${loan}`);
  await expect(page.getByRole('heading', { name: '贷款详情' })).toBeVisible();
}

function offer(page: Page, name: string) {
  return page.getByRole('list', { name: '可办理的提取业务' }).getByRole('listitem').filter({ hasText: name });
}

test.describe('购房、租房、偿还贷款提取', () => {
  for (const elder of [false, true]) {
    test(`${elder ? '关怀版' : '标准版'}: 购房提取 on a material added and chosen; the amount checked as typed; the receipt`, async ({ page }, testInfo) => {
      const problems = watchPage(page);
      const twin = await loggedInTwin(page.request, DEMO.FENG_QI);
      const address = `长春市南关区人民大街${twin.personalAccount}号`;
      await page.goto('/home');
      await chooseMode(page, elder);
      await openWithdrawal(page);
      // The seed's material (2,365,897.00) leaves the balance to bind; 租房提取 its quarter's 4,500.
      await expect(offer(page, '购房提取')).toContainText('可提取金额 24,902.73 元');
      await expect(offer(page, '租房提取')).toContainText('可提取金额 4,500.00 元');

      await page.getByRole('button', { name: '新增提取材料' }).click();
      const add = page.getByRole('form', { name: '新增提取材料' });
      await add.getByLabel('提取原因').selectOption('购买自住住房');
      await add.getByLabel('地址').fill(address);
      await add.getByLabel('提取限额(元)').fill('20000');
      await add.getByRole('button', { name: '保存' }).click();
      const row = page.getByRole('row', { name: new RegExp(address) });
      await expect(row).toContainText('有效');
      // The offer is the most any material allows; the form, the material chosen.
      await expect(offer(page, '购房提取')).toContainText('可提取金额 24,902.73 元');
      await row.getByRole('button', { name: /^选择/ }).click();

      const form = page.getByRole('form', { name: '购房提取' });
      await expect(form.getByRole('heading', { name: '购房提取' })).toBeFocused();
      await expect(form.getByLabel('可提取金额：')).toHaveText('20,000.00 元');
      const limits = form.getByRole('list', { name: '提取限额' });
      await expect(limits).toContainText('提取材料剩余额度：20,000.00 元（按此计算）');
      await expect(limits).toContainText('账户余额：24,902.73 元');
      await form.getByLabel('提取金额(元)').fill('20000.01');
      await expect(form.getByText('提取金额不能超过可提取金额20,000.00元')).toBeVisible();
      await expect(form.getByRole('button', { name: '提交' })).toBeDisabled();
      await form.getByLabel('提取金额(元)').fill('8000');
      await expect(form.getByText('提取金额不能超过')).toHaveCount(0);
      if (await horizontalOverflow(page) > 0) throw new Error('the page scrolls sideways');
      await keepScreenshot(page, testInfo, `housing-purchase${elder ? '-elder' : ''}`);
      await form.getByRole('button', { name: '提交' }).click();
      const dialog = page.getByRole('dialog', { name: '确认提取' });
      await expect(dialog.getByRole('row', { name: /^提取金额/ })).toContainText('8,000.00');
      await expect(dialog.getByRole('row', { name: /^提取原因/ })).toContainText('购买自住住房');
      await expect(dialog.getByRole('row', { name: /^提取材料编号/ })).toContainText(/^提取材料编号\s*2200101000\d{10}$/);
      await dialog.getByRole('button', { name: '确定' }).click();
      await expect(page.getByRole('status').filter({ hasText: '购房提取：受理中' })).toBeVisible();

      // Reload: the page says one is open, and 选择 waits for it.
      await page.reload();
      await expect(page.getByRole('note', { name: '受理中的提取' })).toBeVisible();
      await expect(row.getByRole('button', { name: /^选择/ })).toBeDisabled();
      await page.getByRole('link', { name: '业务进度查询' }).first().click();
      const entry = page.getByRole('listitem', { name: /^购房提取 / });
      await expect(entry).toContainText('受理中');
      await expect(entry).toContainText('8,000.00');
      await entry.getByRole('link', { name: '打印回执' }).click();
      const receipt = page.getByRole('table', { name: '业务回执' });
      await expect(receipt.getByRole('row', { name: /^业务名称/ })).toContainText('购房提取');
      await expect(receipt.getByRole('row', { name: /^提取原因/ })).toContainText('购买自住住房');
      await expect(receipt.getByRole('row', { name: /^提取金额/ })).toContainText('8,000.00');
      await keepScreenshot(page, testInfo, `housing-receipt${elder ? '-elder' : ''}`);
      // Back returns to 业务进度查询.
      await page.goBack();
      await expect(page.getByRole('listitem', { name: /^购房提取 / })).toBeVisible();
      expect(problems).toEqual([]);
    });
  }

  test('租房提取 once a quarter: submitted, then cancelled in 业务进度查询, and offered again', async ({ page }, testInfo) => {
    const problems = watchPage(page);
    await loggedInTwin(page.request, DEMO.FENG_QI);
    await page.goto('/home');
    await openWithdrawal(page);
    await offer(page, '租房提取').getByRole('button', { name: '办理租房提取' }).click();
    const form = page.getByRole('form', { name: '租房提取' });
    await expect(form.getByRole('list', { name: '提取限额' })).toContainText('本季度租房提取限额：4,500.00 元（按此计算）');
    await form.getByLabel('提取金额(元)').fill('4,500.00');
    await form.getByRole('button', { name: '提交' }).click();
    await page.getByRole('dialog', { name: '确认提取' }).getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status').filter({ hasText: '租房提取：受理中' })).toBeVisible();
    await page.getByRole('link', { name: '在业务进度查询中查看' }).click();
    const entry = page.getByRole('listitem', { name: /^租房提取 / });
    await entry.getByRole('link', { name: '打印回执' }).click();
    const receipt = page.getByRole('table', { name: '业务回执' });
    await expect(receipt.getByRole('row', { name: /^提取原因/ })).toContainText('租赁自住住房');
    await expect(receipt.getByRole('row', { name: /^提取金额/ })).toContainText('4,500.00');
    await page.goBack();
    await entry.getByRole('button', { name: '撤销' }).click();
    await page.getByRole('dialog', { name: '确认撤销' }).getByRole('button', { name: '确定' }).click();
    await expect(entry).toContainText('已撤销');
    await openWithdrawal(page);
    await expect(page.getByRole('note', { name: '受理中的提取' })).toHaveCount(0);
    await expect(offer(page, '租房提取').getByRole('button', { name: '办理租房提取' })).toBeEnabled();
    await keepScreenshot(page, testInfo, 'housing-offers');
    expect(problems).toEqual([]);
  });

  test('偿还贷款提取（按年） for 佟一, whose loan rules out 租房提取; the fund balance binds', async ({ page }, testInfo) => {
    const problems = watchPage(page);
    await loggedInTwin(page.request, DEMO.TONG_YI);
    await page.goto('/home');
    await openWithdrawal(page);
    await expect(offer(page, '租房提取')).toContainText('暂不能办理：有未结清的住房公积金贷款，不能办理租房提取。');
    // His earlier materials: one 失效, one 已用完 — neither can be chosen.
    for (const status of ['失效', '已用完']) {
      const row = page.getByRole('row').filter({ hasText: status });
      await expect(row.getByRole('button', { name: /^选择/ })).toBeDisabled();
    }
    await offer(page, '偿还贷款提取（按年）').getByRole('button', { name: /^办理/ }).click();
    const form = page.getByRole('form', { name: '偿还贷款提取（按年）' });
    const limits = form.getByRole('list', { name: '提取限额' });
    await expect(limits).toContainText('近12个月已还本息：40,349.76 元');
    await expect(limits).toContainText('贷款余额：646,609.84 元');
    await expect(limits).toContainText('账户余额：35,218.60 元（按此计算）');
    await form.getByLabel('提取金额(元)').fill('35218.60');
    await keepScreenshot(page, testInfo, 'housing-repayment');
    await form.getByRole('button', { name: '提交' }).click();
    await page.getByRole('dialog', { name: '确认提取' }).getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status').filter({ hasText: '偿还贷款提取（按年）：受理中' })).toBeVisible();
    await page.getByRole('link', { name: '在业务进度查询中查看' }).click();
    const entry = page.getByRole('listitem', { name: /^偿还贷款提取（按年） / });
    await expect(entry).toContainText('受理中');
    await entry.getByRole('link', { name: '打印回执' }).click();
    const receipt = page.getByRole('table', { name: '业务回执' });
    await expect(receipt.getByRole('row', { name: /^业务名称/ })).toContainText('偿还贷款提取（按年）');
    await expect(receipt.getByRole('row', { name: /^提取原因/ })).toContainText('偿还购房贷款本息');
    await expect(receipt.getByRole('row', { name: /^提取金额/ })).toContainText('35,218.60');
    expect(problems).toEqual([]);
  });
});

test('部分提前还本 paid from the fund first: the split on the page, in the confirmation and on the receipt', async ({ page }, testInfo) => {
  const problems = watchPage(page);
  const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
  await openLoanDetail(page, loan);
  await page.getByRole('link', { name: '还款及变更' }).locator('visible=true').first().click();
  await expect(page).toHaveURL(`/loans/${loan}/prepayment`);
  await page.getByLabel('约定还款日期').selectOption({ label: '20180109' });
  await page.getByLabel('提前还本金额').fill('50000');
  await expect(page.getByText('公积金账户余额 35,218.60 元')).toBeVisible();
  // 公积金余额 alone cannot pay 50,000 and its interest: said at the field, 提交 waits.
  await page.getByLabel('资金来源').selectOption({ label: '公积金余额' });
  await expect(page.getByText(/^公积金可用余额35,218.60元不足以支付/)).toBeVisible();
  await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();
  await page.getByLabel('资金来源').selectOption({ label: '公积金余额和自有资金' });
  const split = page.getByRole('table', { name: '支付金额' });
  await expect(split.getByRole('row', { name: /^公积金余额支付/ })).toContainText('35,218.60');
  const total = (await page.getByRole('table', { name: '试算结果' }).getByRole('row', { name: /^提前还款总额/ }).locator('td').innerText()).trim();
  const own = (Number(total.replace(/,/g, '')) * 100 - 3521860) / 100;
  const ownText = own.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  await expect(split.getByRole('row', { name: /^自有资金支付/ })).toContainText(ownText);
  await keepScreenshot(page, testInfo, 'prepayment-fund');
  await page.getByRole('button', { name: '提交' }).click();
  const dialog = page.getByRole('dialog', { name: '确认部分提前还本' });
  await expect(dialog.getByRole('row', { name: /^资金来源/ })).toContainText('公积金余额和自有资金');
  await expect(dialog.getByRole('row', { name: /^公积金余额支付/ })).toContainText('35,218.60');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(page.getByRole('status').filter({ hasText: '部分提前还本：已预约' })).toBeVisible();
  await page.getByRole('link', { name: '在业务进度查询中查看' }).click();
  const entry = page.getByRole('listitem', { name: /^部分提前还本 / });
  await entry.getByRole('link', { name: '打印回执' }).click();
  const receipt = page.getByRole('table', { name: '业务回执' });
  await expect(receipt.getByRole('row', { name: /^资金来源/ })).toContainText('公积金余额和自有资金');
  await expect(receipt.getByRole('row', { name: /^公积金余额支付/ })).toContainText('35,218.60');
  await expect(receipt.getByRole('row', { name: /^自有资金支付/ })).toContainText(ownText);
  expect(problems).toEqual([]);
});

test('按月对冲 on 贷款详情: signed from the next due date, 按年 then refused on 提取, survives Reload, and 解约', async ({ page }, testInfo) => {
  const problems = watchPage(page);
  const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
  await openLoanDetail(page, loan);
  const offsetBox = page.getByRole('region', { name: '偿还贷款提取（按月对冲）' });
  await expect(offsetBox).toContainText('未签约');
  const next = offsetBox.getByRole('definition');
  await expect(offsetBox.getByLabel('下期扣款')).toContainText('20180128');
  await expect(offsetBox.getByLabel('下期扣款')).toContainText('3,362.48');
  expect(await next.count()).toBeGreaterThan(0);
  await offsetBox.getByRole('button', { name: '签约按月对冲' }).click();
  const dialog = page.getByRole('dialog', { name: '确认签约按月对冲' });
  await expect(dialog.getByRole('row', { name: /^办理事项/ })).toContainText('签约');
  await dialog.getByRole('button', { name: '确定' }).click();
  await expect(offsetBox).toContainText('已签约，自20180128起每期还款先从公积金账户余额扣划');
  await keepScreenshot(page, testInfo, 'offset-signed');
  await page.reload();
  await expect(offsetBox).toContainText('已签约，自20180128起');
  await openWithdrawal(page);
  await expect(offer(page, '偿还贷款提取（按年）')).toContainText('已签约按月对冲，不能同时办理按年偿还贷款提取（可先解约）。');
  await page.goBack();
  await offsetBox.getByRole('button', { name: '解约' }).click();
  await page.getByRole('dialog', { name: '确认解约按月对冲' }).getByRole('button', { name: '确定' }).click();
  await expect(offsetBox).toContainText('未签约');
  await expect(offsetBox.getByRole('status')).toHaveText('已解约按月对冲。');
  const record = offsetBox.getByRole('region', { name: '签约记录' }).getByRole('row').nth(1);
  // The business clock runs from 10:00 on the test servers.
  await expect(record).toContainText(/2018-01-05 1\d:\d\d:\d\d/);
  await expect(record).toContainText('20180128');
  await expect(record).not.toContainText('在约');
  expect(problems).toEqual([]);
});
