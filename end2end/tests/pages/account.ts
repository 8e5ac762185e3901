import { APIRequestContext, Locator, Page, expect } from '@playwright/test';

/**
 * Captcha answers as the server's insecure test hook returns them, keyed by the image data URL,
 * so a test types the answer of exactly the image on screen.
 */
export class CaptchaSolver {
  private answers = new Map<string, string>();

  constructor(private page: Page) {
    page.on('response', async (response) => {
      if (!response.url().endsWith('/api/account/captcha') || !response.ok()) return;
      const body = await response.json().catch(() => null);
      if (body?.image && body?.answer) this.answers.set(body.image, body.answer);
    });
  }

  async answer(): Promise<string> {
    const image = this.page.getByRole('img', { name: '附加码图片' });
    await expect(image).toHaveAttribute('src', /^data:image\/bmp;base64,/);
    let answer: string | undefined;
    await expect
      .poll(async () => {
        answer = this.answers.get((await image.getAttribute('src')) ?? '');
        return answer;
      })
      .toBeTruthy();
    return answer!;
  }

  async solve() {
    const answer = await this.answer();
    // Case-insensitive: type it in lower case.
    await this.page.getByLabel('附加码', { exact: true }).fill(answer.toLowerCase());
  }
}

/** Types a password with the 软键盘 only, never the real keyboard. */
export async function typeWithSoftKeyboard(page: Page, fieldLabel: string, password: string) {
  const field = page.getByLabel(fieldLabel, { exact: true });
  const toggle = field.locator('xpath=following-sibling::button[1]');
  await toggle.click();
  const keyboard = page.getByRole('group', { name: `${fieldLabel}软键盘` });
  await expect(keyboard).toBeVisible();
  let upper = false;
  for (const c of password) {
    const isUpper = c >= 'A' && c <= 'Z';
    if (isUpper !== upper) {
      await keyboard.getByRole('button', { name: upper ? '小写' : '大写' }).click();
      upper = isUpper;
    }
    await keyboard.getByRole('button', { name: `输入 ${c}`, exact: true }).click();
  }
  if (upper) await keyboard.getByRole('button', { name: '小写' }).click();
  await keyboard.getByRole('button', { name: '关闭软键盘' }).click();
}

/** The code of the latest SMS to a phone, from the server's test-only outbox path. */
export async function smsCode(request: APIRequestContext, phone: string): Promise<string> {
  const response = await request.get(`/api/test/sms-outbox/${phone}`);
  expect(response.ok()).toBeTruthy();
  const { message } = await response.json();
  return /验证码(\d{6})/.exec(message)![1];
}

/** The password 冯七 is registered with by the spec that first needs him (withdrawal.spec). */
export const RESET_PASSWORD = 'Reset2018#';

export interface Person {
  name: string;
  idNumber: string;
  phone: string;
}

export class RegisterPage {
  readonly message: Locator;
  constructor(readonly page: Page, readonly captcha: CaptchaSolver) {
    this.message = page.getByRole('alert');
  }

  async open() {
    await this.page.goto('/register');
    await this.page.getByRole('heading', { name: '个人用户注册' }).waitFor();
  }

  async fillIdentity(person: Person) {
    await this.page.getByLabel('姓名').fill(person.name);
    await this.page.getByLabel('证件号码').fill(person.idNumber);
    await this.page.getByLabel('手机号').fill(person.phone);
  }

  /** The whole form for `person` with `password`, agreement ticked, then 注册. */
  async registerAs(request: APIRequestContext, person: Person, password: string) {
    await this.open();
    await this.fillIdentity(person);
    await this.requestCode(request, person.phone);
    await this.page.getByLabel('输入密码', { exact: true }).fill(password);
    await this.page.getByLabel('确认密码', { exact: true }).fill(password);
    await this.page.getByLabel('本人已阅读并同意').check();
    await this.page.getByRole('button', { name: '注册', exact: true }).click();
  }

  async requestCode(request: APIRequestContext, phone: string) {
    await this.captcha.solve();
    await this.page.getByRole('button', { name: '获取验证码' }).click();
    await expect(this.page.getByRole('button', { name: /秒后重新获取/ })).toBeVisible();
    await this.page.getByLabel('短信验证码').fill(await smsCode(request, phone));
  }
}

export class Login {
  constructor(readonly page: Page, readonly captcha: CaptchaSolver) {}

  async as(username: string, password: string) {
    await this.page.goto('/login');
    await this.page.getByLabel('用户名').fill(username);
    await this.page.getByLabel('密码', { exact: true }).fill(password);
    await this.captcha.solve();
    await this.page.getByRole('button', { name: '登录', exact: true }).click();
  }
}

/** Logs the page's browser context in through the API, registering the person first if needed. */
export async function ensureLoggedIn(request: APIRequestContext, person: Person, password: string) {
  const headers = { 'x-hpf-csrf': '1' };
  const captcha = async () => (await (await request.post('/api/account/captcha', { headers })).json()) as { id: string; answer: string };
  const login = async () => {
    const c = await captcha();
    return request.post('/api/account/login', {
      headers,
      data: { username: person.phone, password, captcha_id: c.id, captcha: c.answer },
    });
  };
  if ((await login()).ok()) return;
  const c = await captcha();
  const sent = await request.post('/api/account/sms', {
    headers,
    data: { purpose: 'register', phone: person.phone, captcha_id: c.id, captcha: c.answer },
  });
  expect(sent.ok()).toBeTruthy();
  const registered = await request.post('/api/account/register', {
    headers,
    data: {
      name: person.name, id_type: 'id_card', id_number: person.idNumber, phone: person.phone,
      sms_code: await smsCode(request, person.phone), password, password_confirm: password, agreed: true,
    },
  });
  expect(registered.ok()).toBeTruthy();
  expect((await login()).ok()).toBeTruthy();
}

export interface Twin extends Person {
  personalAccount: string;
  borrowerNos: string[];
}

/**
 * A person of the test's own: a fresh copy of a demo member (the server's test hook) with the same
 * record and loans under new numbers, registered with `password`, and this context logged in as it.
 * Nothing another test does touches it.
 */
export async function loggedInTwin(request: APIRequestContext, personalAccount: string, password = 'Twin2018!'): Promise<Twin> {
  const twin = await makeTwin(request, personalAccount, password);
  await ensureLoggedIn(request, twin, password);
  return twin;
}

/** A twin as above, registered with `password` if one is given, not logged in. */
export async function makeTwin(request: APIRequestContext, personalAccount: string, password?: string): Promise<Twin> {
  const response = await request.post('/api/test/twin', {
    headers: { 'x-hpf-csrf': '1' },
    data: { personal_account: personalAccount, password },
  });
  expect(response.ok(), await response.text()).toBeTruthy();
  const t = await response.json();
  return {
    name: t.name, idNumber: t.id_number, phone: t.phone, personalAccount: t.personal_account, borrowerNos: t.borrower_nos,
  };
}

/** 个人账号 of demo members, the originals of the tests' twins. */
export const DEMO = {
  FENG_QI: '3934081', TONG_YI: '3816301', SUN_BA: '3816302', ZHOU_JIU: '3816303', WU_SHI: '3816304',
  WANG_WU: '4102201', LI_MEI: '4102202', CHEN_JING: '4102204',
};
