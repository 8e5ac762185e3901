import { Page, expect } from '@playwright/test';


/** Every screen of the hall with the heading that shows it is loaded. */
export const OPEN_SCREENS: [string, string][] = [
  ['/login', '个人用户登录'],
  ['/register', '个人用户注册'],
  ['/forgot', '重置密码'],
  ['/calculator', '贷款试算器'],
  ['/plan', '还款规划'],
];
/** The screens behind the login, for a citizen with the loan `loan`. */
export const citizenScreens = (loan: string): [string, string][] => [
  ['/home', '我的住房公积金首页'],
  ['/fund/entries', '缴存明细'],
  ['/fund/statement', '年度对账单'],
  ['/loans', '我的住房公积金'],
  [`/loans/${loan}`, '贷款详情'],
  [`/loans/${loan}/history`, '贷款明细'],
  [`/loans/${loan}/schedule`, '还款计划'],
  [`/loans/${loan}/plan`, '还款规划'],
  [`/loans/${loan}/prepayment`, '部分提前还本'],
  [`/loans/${loan}/settlement`, '提前结清贷款'],
  [`/loans/${loan}/account`, '变更还款账号'],
  [`/loans/${loan}/adjust`, '调整月还款额'],
  ['/withdrawal', '提取'],
  ['/progress', '业务进度查询'],
  ['/print', '查询打印'],
];

/** The browser's title for a screen. */
export const title = (screen: string) => `${screen} - 个人网上服务大厅`;

/** Opens a screen and waits until its heading and its data are there. */
export async function openScreen(page: Page, path: string, heading: string) {
  await page.goto(path);
  await expect(page.getByRole('heading', { name: heading, exact: true }).first()).toBeVisible();
  await expect(page.getByText('正在加载')).toHaveCount(0);
}

/** How far the page itself scrolls sideways (0 when it reflows); tables scroll in their own box. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/** Columns cut off: tables whose own scroll box hides part of them. */
export async function clippedTables(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('.table-scroll'))
      .filter((box) => box.scrollWidth > box.clientWidth + 1)
      .map((box) => box.getAttribute('aria-label') ?? '?'),
  );
}

/**
 * Drop-down lists whose longest choice does not fit the box (the text would be cut): each one's
 * label. The text is measured in the list's own font; the box keeps its padding and 20 px for the
 * arrow.
 */
export async function cutSelects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const canvas = document.createElement('canvas').getContext('2d')!;
    return Array.from(document.querySelectorAll<HTMLSelectElement>('select'))
      .filter((select) => select.offsetParent !== null)
      .filter((select) => {
        const style = getComputedStyle(select);
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const longest = Math.max(...Array.from(select.options).map((o) => canvas.measureText(o.text).width));
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
        return longest > room;
      })
      .map((select) => select.labels?.[0]?.textContent ?? select.name);
  });
}

/** Switches between 标准版 and 关怀版 with the header's switch, as a citizen does. */
export async function chooseMode(page: Page, elder: boolean) {
  const toElder = page.getByRole('button', { name: '关怀版' });
  const toStandard = page.getByRole('button', { name: '标准版' });
  // The switch is there once the app has drawn the header (it reads the remembered mode).
  await expect(toElder.or(toStandard)).toBeVisible();
  if (elder && (await toElder.count()) > 0) await toElder.click();
  if (!elder && (await toStandard.count()) > 0) await toStandard.click();
  await expect(page.locator('html')).toHaveClass(elder ? /\belder\b/ : /^(?!.*\belder\b)/);
}

/** Ends this browser's session on the server and forgets its snapshots. */
export async function ensureLoggedOut(page: Page) {
  await page.request.post('/api/account/logout', { headers: { 'x-hpf-csrf': '1' }, data: {} });
  await page.evaluate(() => localStorage.clear());
}
