//! The client face of every refusal: a stable snake_case `code` that tests assert on, a Chinese
//! `message` for the citizen, and the `field` it concerns. The browser shows the same message for a
//! rule whether it tripped in the browser or on the server.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            code: code.to_owned(),
            message: message.into(),
            field: None,
        }
    }

    /// A refusal about one input field: the message names the field in Chinese.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            code: code.to_owned(),
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    /// Puts a refusal under a different field name (e.g. `amount` → `request.amount`).
    pub fn at(mut self, field: &str) -> Self {
        self.field = Some(field.to_owned());
        self
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.code)
    }
}

impl std::error::Error for ApiError {}
