import { expect, Page, test } from '@playwright/test';
import * as fs from 'fs';
import { DEMO, loggedInTwin } from './pages/account';
import { chooseMode } from './pages/hall';

async function snap(page: Page, name: string) {
  const p = test.info().project.name;
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/walk/${p}-${name}.png`, fullPage: true });
  fs.writeFileSync(`/tmp/walk/${p}-${name}.txt`, await page.locator('body').innerText());
  const ov = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  const clipped = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLElement>('*')).filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible').map(e => (e.getAttribute('aria-label') ?? e.className ?? e.tagName) + ':' + e.scrollWidth + '/' + e.clientWidth));
  fs.appendFileSync(`/tmp/walk/log.txt`, `${p} ${name} overflow=${ov} clipped=${JSON.stringify(clipped)}\n`);
}

const offer = (page: Page, name: string) => page.getByRole('list', { name: '可办理的提取业务' }).getByRole('listitem').filter({ hasText: name });

for (const elder of [false, true]) {
  const m = elder ? 'elder' : 'std';
  test(`fengqi ${m}`, async ({ page }) => {
    page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') fs.appendFileSync('/tmp/walk/log.txt', `console ${msg.type()} ${msg.text()}\n`); });
    await loggedInTwin(page.request, DEMO.FENG_QI);
    await page.goto('/home');
    await chooseMode(page, elder);
    await page.goto('/withdrawal');
    await expect(page.getByText('正在加载')).toHaveCount(0);
    await expect(offer(page, '购房提取')).toBeVisible();
    await snap(page, `${m}-fq-01-withdrawal`);
    await page.getByRole('button', { name: '新增提取材料' }).click();
    await snap(page, `${m}-fq-02-addform`);
    const add = page.getByRole('form', { name: '新增提取材料' });
    // try saving empty
    await add.getByRole('button', { name: '保存' }).click();
    await snap(page, `${m}-fq-03-add-empty`);
    await add.getByLabel('提取原因').selectOption('购买自住住房');
    await add.getByLabel('地址').fill('长春市南关区人民大街88号');
    await add.getByLabel('提取限额(元)').fill('20000');
    await add.getByRole('button', { name: '保存' }).click();
    const row = page.getByRole('row', { name: /人民大街88号/ });
    await expect(row).toContainText('有效');
    await snap(page, `${m}-fq-04-added`);
    await row.getByRole('button', { name: /^选择/ }).click();
    const form = page.getByRole('form', { name: '购房提取' });
    await expect(form).toBeVisible();
    await snap(page, `${m}-fq-05-form`);
    await form.getByLabel('提取金额(元)').fill('20000.01');
    await snap(page, `${m}-fq-06-error`);
    await form.getByLabel('提取金额(元)').fill('abc');
    await snap(page, `${m}-fq-06b-abc`);
    await form.getByLabel('提取金额(元)').fill('0');
    await snap(page, `${m}-fq-06c-zero`);
    await form.getByLabel('提取金额(元)').fill('8000.123');
    await snap(page, `${m}-fq-06d-3dec`);
    await form.getByLabel('提取金额(元)').fill('8000');
    await form.getByRole('button', { name: '提交' }).click();
    const dialog = page.getByRole('dialog', { name: '确认提取' });
    await expect(dialog).toBeVisible();
    await snap(page, `${m}-fq-07-dialog`);
    // keyboard: tab through dialog
    const focused: string[] = [];
    for (let i = 0; i < 6; i++) { await page.keyboard.press('Tab'); focused.push(await page.evaluate(() => (document.activeElement?.textContent ?? '').slice(0, 20) + '|' + document.activeElement?.tagName)); }
    fs.appendFileSync('/tmp/walk/log.txt', `${test.info().project.name} ${m} dialog tab: ${focused.join(' / ')}\n`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
    fs.appendFileSync('/tmp/walk/log.txt', `${test.info().project.name} ${m} dialog after Esc visible=${await dialog.isVisible()} focus=${await page.evaluate(() => document.activeElement?.textContent?.slice(0,20))}\n`);
    if (!(await dialog.isVisible())) await form.getByRole('button', { name: '提交' }).click();
    await dialog.getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status').filter({ hasText: '购房提取：受理中' })).toBeVisible();
    await snap(page, `${m}-fq-08-result`);
    await page.reload();
    await expect(page.getByText('正在加载')).toHaveCount(0);
    await page.waitForTimeout(500);
    await snap(page, `${m}-fq-09-reload`);
    await page.goto('/progress');
    await expect(page.getByText('正在加载')).toHaveCount(0);
    await page.waitForTimeout(500);
    await snap(page, `${m}-fq-10-progress`);
    const entry = page.getByRole('listitem', { name: /^购房提取 / });
    await entry.getByRole('link', { name: '打印回执' }).click();
    await expect(page.getByRole('table', { name: '业务回执' })).toBeVisible();
    await snap(page, `${m}-fq-11-receipt`);
    await page.emulateMedia({ media: 'print' });
    await snap(page, `${m}-fq-12-receipt-print`);
    await page.emulateMedia({ media: 'screen' });
  });

  test(`tongyi ${m}`, async ({ page }) => {
    const twin = await loggedInTwin(page.request, DEMO.TONG_YI);
    await page.goto('/home');
    await chooseMode(page, elder);
    await page.goto('/withdrawal');
    await expect(page.getByText('正在加载')).toHaveCount(0);
    await expect(offer(page, '购房提取')).toBeVisible();
    await snap(page, `${m}-ty-01-withdrawal`);
    await offer(page, '偿还贷款提取（按年）').getByRole('button', { name: /^办理/ }).click();
    await page.waitForTimeout(300);
    await snap(page, `${m}-ty-02-repayform`);
    const loan = twin.borrowerNos[0];
    await page.goto(`/loans/${loan}`);
    const box = page.getByRole('region', { name: '偿还贷款提取（按月对冲）' });
    await expect(box).toContainText('未签约');
    await snap(page, `${m}-ty-03-loan`);
    await box.getByRole('button', { name: '签约按月对冲' }).click();
    await snap(page, `${m}-ty-04-sign-dialog`);
    await page.getByRole('dialog', { name: '确认按月对冲' }).getByRole('button', { name: '确定' }).click();
    await expect(box).toContainText('已签约');
    await snap(page, `${m}-ty-05-signed`);
    await page.goto('/withdrawal');
    await expect(page.getByText('正在加载')).toHaveCount(0);
    await expect(offer(page, '购房提取')).toBeVisible();
    await snap(page, `${m}-ty-06-withdrawal-signed`);
    await page.goto('/progress');
    await page.waitForTimeout(800);
    await snap(page, `${m}-ty-06b-progress`);
    await page.goto(`/loans/${loan}`);
    await box.getByRole('button', { name: '解约' }).click();
    await snap(page, `${m}-ty-07-unsign-dialog`);
    await page.getByRole('dialog', { name: '确认按月对冲' }).getByRole('button', { name: '确定' }).click();
    await expect(box).toContainText('未签约');
    await snap(page, `${m}-ty-08-unsigned`);
    await page.goto(`/loans/${loan}/prepayment`);
    await expect(page.getByLabel('资金来源')).toBeVisible();
    await page.waitForTimeout(500);
    await snap(page, `${m}-ty-09-prepay`);
    const opts = await page.getByLabel('约定还款日期').locator('option').allInnerTexts();
    fs.appendFileSync('/tmp/walk/log.txt', `dates ${opts.join(',')} sources ${(await page.getByLabel('资金来源').locator('option').allInnerTexts()).join(',')}\n`);
    await page.getByLabel('约定还款日期').selectOption({ index: 1 });
    await page.getByLabel('提前还本金额').fill('50000');
    await page.getByLabel('资金来源').selectOption({ label: '公积金余额' });
    await page.waitForTimeout(500);
    await snap(page, `${m}-ty-10-prepay-fundonly`);
    await page.getByLabel('资金来源').selectOption({ label: '公积金余额和自有资金' });
    await page.waitForTimeout(500);
    await snap(page, `${m}-ty-11-prepay-split`);
    await page.getByRole('button', { name: '提交' }).click();
    await snap(page, `${m}-ty-12-prepay-dialog`);
    await page.getByRole('dialog', { name: '确认部分提前还本' }).getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status').filter({ hasText: '部分提前还本' })).toBeVisible();
    await snap(page, `${m}-ty-13-prepay-result`);
    await page.goto('/withdrawal');
    await expect(page.getByText('正在加载')).toHaveCount(0);
    await expect(offer(page, '购房提取')).toBeVisible();
    await snap(page, `${m}-ty-14-withdrawal-after-prepay`);
    await page.goto('/progress');
    await page.waitForTimeout(800);
    await snap(page, `${m}-ty-15-progress`);
    await page.getByRole('listitem', { name: /^部分提前还本 / }).getByRole('link', { name: '打印回执' }).click();
    await expect(page.getByRole('table', { name: '业务回执' })).toBeVisible();
    await snap(page, `${m}-ty-16-receipt`);
  });

  for (const [who, acct] of [['limei', DEMO.LI_MEI], ['wangwu', DEMO.WANG_WU]] as const) {
    test(`${who} ${m}`, async ({ page }) => {
      await loggedInTwin(page.request, acct);
      await page.goto('/home');
      await chooseMode(page, elder);
      await page.goto('/withdrawal');
      await expect(page.getByText('正在加载')).toHaveCount(0);
      await page.waitForTimeout(1000);
      await snap(page, `${m}-${who}-01-withdrawal`);
      const rent = offer(page, '租房提取').getByRole('button');
      if (await rent.count() > 0 && await rent.first().isEnabled()) {
        await rent.first().click();
        await snap(page, `${m}-${who}-02-rentform`);
      }
    });
  }
}
