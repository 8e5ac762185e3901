//! The server's errors and their client face: a refusal answers with the shared `ApiError`
//! (code, Chinese message, field); an internal error is logged and answered with a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use shared::ApiError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{1}")]
    Refused(StatusCode, ApiError),
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Internal(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn bad_request(error: ApiError) -> Self {
        Error::Refused(StatusCode::UNPROCESSABLE_ENTITY, error)
    }

    pub fn not_found() -> Self {
        Error::Refused(
            StatusCode::NOT_FOUND,
            ApiError::new("not_found", "未找到相关记录"),
        )
    }
}

impl From<ApiError> for Error {
    fn from(error: ApiError) -> Self {
        Error::bad_request(error)
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match self {
            Error::Refused(status, body) => (status, Json(body)).into_response(),
            internal => {
                if matches!(internal, Error::Database(sqlx::Error::PoolTimedOut)) {
                    crate::metrics::pool_timeout();
                }
                tracing::error!(error = %internal, "internal error");
                let body = ApiError::new("internal", "系统繁忙，请稍后再试");
                (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
            }
        }
    }
}
