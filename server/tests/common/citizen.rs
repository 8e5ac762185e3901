//! A browser-like client of the account API: keeps cookies, sends the CSRF header, solves the
//! captcha through the server's insecure test hook, reads SMS codes from the outbox hook.
#![allow(dead_code)]

use super::TestApp;
use serde_json::{json, Value};

pub const PASSWORD: &str = "Tong2018!";

/// 佟一 of the seed, as the fund knows him.
pub fn tong_yi() -> Value {
    json!({"name": "佟一", "id_type": "id_card", "id_number": "220102198005202134", "phone": "13904310002"})
}

pub struct Citizen<'a> {
    pub app: &'a TestApp,
    pub http: reqwest::Client,
}

impl<'a> Citizen<'a> {
    pub fn new(app: &'a TestApp) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        Citizen { app, http }
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .http
            .post(self.app.url(path))
            .header("x-hpf-csrf", "1")
            .json(body)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self.http.get(self.app.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// A fresh captcha and its answer (test hook).
    pub async fn captcha(&self) -> (String, String) {
        let (status, body) = self.post("/api/account/captcha", &json!({})).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["image"]
            .as_str()
            .unwrap()
            .starts_with("data:image/bmp;base64,"));
        (
            body["id"].as_str().unwrap().to_owned(),
            body["answer"].as_str().expect("test hooks on").to_owned(),
        )
    }

    pub async fn send_sms(&self, purpose: &str, phone: &str) -> (u16, Value) {
        let (id, answer) = self.captcha().await;
        self.post(
            "/api/account/sms",
            &json!({"purpose": purpose, "phone": phone, "captcha_id": id, "captcha": answer}),
        )
        .await
    }

    /// The code in the latest SMS to `phone`.
    pub async fn sms_code(&self, phone: &str) -> String {
        let (status, body) = self.get(&format!("/api/test/sms-outbox/{phone}")).await;
        assert_eq!(status, 200, "{body}");
        let message = body["message"].as_str().unwrap();
        let start = message.find("验证码").unwrap() + "验证码".len();
        message[start..].chars().take(6).collect()
    }

    pub async fn register(&self, who: &Value, password: &str) -> (u16, Value) {
        let phone = who["phone"].as_str().unwrap();
        let (status, body) = self.send_sms("register", phone).await;
        assert_eq!(status, 200, "{body}");
        let code = self.sms_code(phone).await;
        let mut request = who.clone();
        request["sms_code"] = json!(code);
        request["password"] = json!(password);
        request["password_confirm"] = json!(password);
        request["agreed"] = json!(true);
        self.post("/api/account/register", &request).await
    }

    pub async fn login(&self, username: &str, password: &str) -> (u16, Value) {
        let (id, answer) = self.captcha().await;
        self.post(
            "/api/account/login",
            &json!({"username": username, "password": password, "captcha_id": id, "captcha": answer.to_lowercase()}),
        )
        .await
    }
}
