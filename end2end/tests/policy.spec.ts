import { expect, test } from '@playwright/test';
import { DEMO, loggedInTwin } from './pages/account';

// Servers configured differently from the demo (started by ./hall test): the same data at 17:00,
// with the settlement screen's older blackout window (30 Dec – 3 Jan), and on 2018-01-10.
// Each test on a twin of 佟一 of its own (the seed's loan under a new number).

/** The figure in the row labelled `label` of the page's figures (the 预约 block apart). */
const figure = (page: import('@playwright/test').Page, label: string) =>
  page.locator('table:not([aria-label="预约"])').getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell');

test.describe('after business hours (17:00)', () => {
  test.use({ baseURL: process.env.HPF_LATE_URL });

  test('the trial still computes, the submission is refused', async ({ page }) => {
    const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
    await page.goto(`/loans/${loan}/prepayment`);
    // Said before anything is filled, with when it will be possible; 提交 stays off.
    const refusal = page.getByRole('note').filter({ hasText: '当前不能提交' });
    await expect(refusal).toContainText('办理类业务仅在工作日09:00-16:30办理');
    await expect(refusal).toContainText('最早可于2018-01-08 09:00办理');
    await page.getByLabel('约定还款日期').selectOption({ label: '20180109' });
    await page.getByLabel('提前还本金额').fill('10000');
    await expect(figure(page, '提前还款总额')).toHaveText('10,009.93');
    await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();
    // The server refuses whatever is sent (the same message the page gave).
    const context = await (await page.request.get(`/api/loans/${loan}/context`)).json();
    expect(context.prepayment_refusal).toContain('最早可于2018-01-08 09:00办理');
  });
});

test.describe('with the older 30 Dec – 3 Jan window configured', () => {
  test.use({ baseURL: process.env.HPF_OLDER_URL });

  test('提前结清 on 20180110 is accepted', async ({ page }) => {
    const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
    await page.goto(`/loans/${loan}/settlement`);
    await page.getByLabel('约定还款日').selectOption({ label: '20180110' });
    await expect(figure(page, '提前还款总额')).toHaveText('647,310.33');
    // The 说明 states the configured window, not a fixed text.
    await expect(page.getByText('每年12月30日至次年1月3日及约定还款日前一天')).toBeVisible();
    await page.getByRole('button', { name: '提交' }).click();
    await page.getByRole('dialog', { name: '确认提前结清贷款' }).getByRole('button', { name: '确定' }).click();
    await expect(page.getByRole('status').filter({ hasText: '提前结清贷款：已预约' })).toBeVisible();
  });
});

test.describe('on a loan\'s due day (周九\'s loan, due on the 10th, on 2018-01-10)', () => {
  test.use({ baseURL: process.env.HPF_DUEDAY_URL });

  test('变更还款账号 says so before anything is filled, with when it opens again', async ({ page }) => {
    const loan = (await loggedInTwin(page.request, DEMO.ZHOU_JIU)).borrowerNos[0];
    await page.goto(`/loans/${loan}/account`);
    const refusal = page.getByRole('note').filter({ hasText: '当前不能提交' });
    await expect(refusal).toContainText('约定还款日（20180110）当天不得办理变更还款账户业务');
    await expect(refusal).toContainText('最早可于2018-01-11 09:00办理');
    await expect(page.getByRole('button', { name: '提交' })).toBeDisabled();
  });
});
