//! The account API's requests and answers, one definition for the browser and the server.

use serde::{Deserialize, Serialize};

/// 证件类型: only 身份证 is accepted online for now; the others are listed so the citizen sees them.
pub const ID_TYPES: [(&str, &str); 4] = [
    ("id_card", "身份证"),
    ("passport", "护照"),
    ("hk_macao_permit", "港澳居民来往内地通行证"),
    ("taiwan_permit", "台湾居民来往大陆通行证"),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Captcha {
    pub id: String,
    /// A data URL of the image.
    pub image: String,
    /// Only with the server's insecure test hooks on (browser tests); never in production.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SmsPurpose {
    Register,
    Reset,
    /// 短信验证码登录.
    Login,
}

/// 短信验证码登录: the phone and the code sent to it (the captcha was solved to send it).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsLoginRequest {
    pub phone: String,
    pub sms_code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsRequest {
    pub purpose: SmsPurpose,
    pub phone: String,
    pub captcha_id: String,
    pub captcha: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SmsSent {
    pub message: String,
    pub resend_after_seconds: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub sms_code: String,
    pub password: String,
    pub password_confirm: String,
    pub agreed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetRequest {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub sms_code: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    /// 证件号码 or 手机号.
    pub username: String,
    pub password: String,
    pub captcha_id: String,
    pub captcha: String,
}

/// Who is logged in, personal data masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub personal_account: String,
    pub unit_account: String,
    pub unit_name: String,
    pub idle_timeout_seconds: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Done {
    pub message: String,
}

/// The manual's message when 姓名、证件号码、手机号 do not match the centre's records.
pub const THREE_FACTOR_MISMATCH: &str =
    "您的姓名、证件号码及手机号码三要素与中心系统中的账户信息不符，请持身份证到业务受理大厅窗口进行信息核实和变更后再进行操作";
