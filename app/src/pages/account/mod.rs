//! 注册 / 登录 / 忘记密码 — the seed manual's sections 1–3.

mod captcha;
mod forgot;
mod identity;
mod login;
mod password_rules;
mod register;
mod session;
mod sms_code;

pub use forgot::Forgot;
pub use login::Login;
pub use register::Register;
pub use session::{Home, RequireSession};
