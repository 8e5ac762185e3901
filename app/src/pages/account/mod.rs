//! 注册 / 登录 / 忘记密码 — the seed manual's sections 1–3.

mod login;

pub use login::Login;
