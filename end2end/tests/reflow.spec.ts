import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { DEMO, loggedInTwin } from './pages/account';
import {
  OPEN_SCREENS, chooseMode, citizenScreens, clippedTables, cutSelects, ensureLoggedOut, horizontalOverflow, openScreen,
} from './pages/hall';

// Every screen, deep-linked and reloaded, in 标准版 and 关怀版: no sideways scroll at 320 px, no
// drop-down choice cut at 390 px, no column cut at 1024, 1280 and 1920 px, and axe clean (WCAG 2.0/2.1 A and AA; AAA contrast in
// 关怀版). The widths are set by the test itself, so it runs in one project.

test.describe('every screen reflows and passes axe, 标准版 and 关怀版', () => {
  // The layout does not depend on the project's viewport: each width is set here (the desktop
  // project runs this file; playwright.config.ts).
  test.setTimeout(180_000);

  for (const elder of [false, true]) {
    test(`${elder ? '关怀版' : '标准版'}: no page scrolls sideways at 320 px; no drop-down choice cut at 390 px; no column cut at 1024–1920 px; axe clean`, async ({ page }) => {
      const loan = (await loggedInTwin(page.request, DEMO.TONG_YI)).borrowerNos[0];
      await page.goto('/calculator');
      await chooseMode(page, elder);
      const problems: string[] = [];
      for (const [path, heading] of [...citizenScreens(loan), ...OPEN_SCREENS.filter(([p]) => p !== '/login')]) {
        await page.setViewportSize({ width: 1280, height: 800 });
        // A deep link, then a reload: the same screen both times.
        await openScreen(page, path, heading);
        await page.reload();
        await expect(page.getByRole('heading', { name: heading, exact: true }).first()).toBeVisible();
        await expect(page.getByText('正在加载')).toHaveCount(0);
        // 关怀版 asks more than AA: text contrast of at least 7:1 (axe's enhanced contrast rule).
        const rules = new AxeBuilder({ page }).withTags(
          elder ? ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag2aaa'] : ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'],
        );
        const axe = await rules.analyze();
        for (const v of axe.violations) {
          problems.push(`${path}: axe ${v.id} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
        }
        for (const width of [1024, 1280, 1920]) {
          await page.setViewportSize({ width, height: 800 });
          for (const table of await clippedTables(page)) problems.push(`${path} at ${width}px: ${table} cut off`);
        }
        // A phone: every choice of every drop-down list reads in full.
        await page.setViewportSize({ width: 390, height: 844 });
        for (const list of await cutSelects(page)) problems.push(`${path} at 390px: ${list}'s longest choice is cut`);
        await page.setViewportSize({ width: 320, height: 640 });
        const overflow = await horizontalOverflow(page);
        if (overflow > 0) problems.push(`${path} at 320px: the page scrolls ${overflow}px sideways`);
      }
      // The login page, as a stranger sees it.
      await ensureLoggedOut(page);
      await page.setViewportSize({ width: 1280, height: 800 });
      await openScreen(page, '/login', '个人用户登录');
      const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      for (const v of axe.violations) problems.push(`/login: axe ${v.id}`);
      await page.setViewportSize({ width: 320, height: 640 });
      if ((await horizontalOverflow(page)) > 0) problems.push('/login at 320px scrolls sideways');
      expect(problems).toEqual([]);
    });
  }
});

