//! The one typed client of the hall's JSON API: every call returns `Result<T, ApiError>` with the
//! server's Chinese message, or a plain message when the network itself failed.

use gloo_net::http::{Request, Response};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use shared::ApiError;

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response
            .json::<T>()
            .await
            .map_err(|_| ApiError::new("bad_response", "服务器返回的数据无法识别，请稍后再试"));
    }
    Err(response.json::<ApiError>().await.unwrap_or_else(|_| {
        ApiError::new(
            "http_error",
            format!("服务暂不可用（{}），请稍后再试", response.status()),
        )
    }))
}

fn offline() -> ApiError {
    ApiError::new("offline", "网络连接失败，请检查网络后再试")
}

pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(&format!("/api{path}"))
        .send()
        .await
        .map_err(|_| offline())?;
    decode(response).await
}

/// The server's business clock (账务日期): rules never read the device clock.
#[derive(Debug, Clone, Deserialize)]
pub struct BusinessClock {
    /// The business date, YYYY-MM-DD.
    pub date: String,
}

pub async fn clock() -> Result<BusinessClock, ApiError> {
    get("/clock").await
}
