import { Locator, Page } from '@playwright/test';

/** 个人用户登录, as the seed manual draws it. */
export class LoginPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly captcha: Locator;
  readonly submit: Locator;
  readonly message: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: '个人用户登录' });
    this.username = page.getByLabel('用户名');
    this.password = page.getByLabel('密码', { exact: true });
    this.captcha = page.getByLabel('附加码');
    this.submit = page.getByRole('button', { name: '登录', exact: true });
    this.message = page.getByRole('alert');
  }

  async open() {
    await this.page.goto('/login');
    await this.heading.waitFor();
  }
}
