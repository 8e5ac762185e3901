//! What 注册 and 忘记密码 both ask — 姓名, 证件号码, 手机号, 短信验证码, a new password twice — checked in
//! the order of the form: by the page before it sends, and by the server again.

use super::wire::{RegisterRequest, ResetRequest};
use super::{IdNumber, Password, PersonName, Phone};
use crate::error::ApiError;
use chrono::NaiveDate;

/// The typed fields both forms share.
#[derive(Debug)]
pub struct Identity {
    pub name: PersonName,
    pub id_number: IdNumber,
    pub phone: Phone,
    pub password: Password,
}

impl Identity {
    /// `today` is the business date (a birth date in an ID number cannot be later); the page, which
    /// does not know it, passes `NaiveDate::MAX` and leaves that one check to the server.
    pub fn parse(
        name: &str,
        id_number: &str,
        phone: &str,
        password: &str,
        confirm: &str,
        today: NaiveDate,
    ) -> Result<Identity, ApiError> {
        let name = PersonName::parse(name)?;
        let id_number = IdNumber::parse(id_number, today)?;
        let phone = Phone::parse(phone)?;
        let password = Password::parse("password", password)?;
        if password.expose() != confirm {
            return Err(ApiError::field(
                "password_confirm",
                "password_mismatch",
                "两次输入的密码不一致",
            ));
        }
        Ok(Identity {
            name,
            id_number,
            phone,
            password,
        })
    }
}

/// The SMS code was typed (whether it is the right one, only the server knows).
pub fn sms_code_given(code: &str) -> Result<&str, ApiError> {
    match code.trim() {
        "" => Err(ApiError::field(
            "sms_code",
            "sms_code_required",
            "请输入短信验证码",
        )),
        code => Ok(code),
    }
}

impl RegisterRequest {
    /// 注册's checks in the form's order: only 身份证 online, the identity, the SMS code typed,
    /// 《注册协议》 accepted.
    pub fn check(&self, today: NaiveDate) -> Result<Identity, ApiError> {
        if self.id_type != "id_card" {
            return Err(ApiError::field(
                "id_type",
                "id_type_unsupported",
                "网上注册暂只支持身份证，其他证件请到业务受理大厅窗口办理",
            ));
        }
        let identity = Identity::parse(
            &self.name,
            &self.id_number,
            &self.phone,
            &self.password,
            &self.password_confirm,
            today,
        )?;
        sms_code_given(&self.sms_code)?;
        if !self.agreed {
            return Err(ApiError::field(
                "agreed",
                "agreement_required",
                "请阅读并同意《注册协议》",
            ));
        }
        Ok(identity)
    }
}

impl ResetRequest {
    /// 忘记密码's checks in the form's order: the identity, then the SMS code typed.
    pub fn check(&self, today: NaiveDate) -> Result<Identity, ApiError> {
        let identity = Identity::parse(
            &self.name,
            &self.id_number,
            &self.phone,
            &self.password,
            &self.password_confirm,
            today,
        )?;
        sms_code_given(&self.sms_code)?;
        Ok(identity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    fn request() -> RegisterRequest {
        RegisterRequest {
            name: "佟一".into(),
            id_type: "id_card".into(),
            id_number: "220102198001011234".into(),
            phone: "13904310001".into(),
            sms_code: "123456".into(),
            password: "Hall2018!".into(),
            password_confirm: "Hall2018!".into(),
            agreed: true,
        }
    }

    fn field(request: &RegisterRequest) -> Option<String> {
        request.check(NaiveDate::MAX).err().and_then(|e| e.field)
    }

    #[test]
    fn registration_is_checked_in_the_order_of_the_form() {
        let good = request();
        assert!(good.check(NaiveDate::MAX).is_ok());
        // Everything wrong: the first field of the form is named.
        let mut bad = RegisterRequest {
            id_type: "passport".into(),
            name: "x".into(),
            password_confirm: "other".into(),
            sms_code: " ".into(),
            agreed: false,
            ..request()
        };
        for expected in ["id_type", "name", "password_confirm", "sms_code", "agreed"] {
            assert_eq!(field(&bad).as_deref(), Some(expected));
            match expected {
                "id_type" => bad.id_type = good.id_type.clone(),
                "name" => bad.name = good.name.clone(),
                "password_confirm" => bad.password_confirm = good.password_confirm.clone(),
                "sms_code" => bad.sms_code = good.sms_code.clone(),
                _ => bad.agreed = true,
            }
        }
        assert_eq!(field(&bad), None);
    }

    #[test]
    fn a_reset_needs_the_identity_and_a_typed_code() {
        let good = request();
        let reset = |sms_code: &str, confirm: &str| ResetRequest {
            name: good.name.clone(),
            id_number: good.id_number.clone(),
            phone: good.phone.clone(),
            sms_code: sms_code.into(),
            password: good.password.clone(),
            password_confirm: confirm.into(),
        };
        assert!(reset("123456", "Hall2018!").check(NaiveDate::MAX).is_ok());
        let field = |r: ResetRequest| r.check(NaiveDate::MAX).unwrap_err().field;
        assert_eq!(field(reset("", "Hall2018!")).as_deref(), Some("sms_code"));
        assert_eq!(
            field(reset("", "Hall2018?")).as_deref(),
            Some("password_confirm")
        );
    }

    #[test]
    fn the_server_passes_the_business_date_for_the_birth_date() {
        // Born 1980-01-01.
        let before_birth = NaiveDate::from_ymd_opt(1979, 12, 31).unwrap();
        assert_eq!(
            request().check(before_birth).unwrap_err().field.as_deref(),
            Some("id_number")
        );
    }
}
