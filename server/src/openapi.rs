//! The API's OpenAPI 3.1 document, generated from the handlers' own `#[utoipa::path]` and the
//! `shared` types they take and give, and served at `/api/openapi.json`. The API router is built
//! from the same [`OpenApiRouter`]s, so a route and its description are one declaration.

use crate::state::AppState;
use axum::Router;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "公积金个人网厅 API",
        description = "The JSON API of the 住房公积金个人网上服务大厅 (`hpf serve`). Every refusal is an `ApiError`: a code, a message in Chinese for the citizen, and the field it concerns. A state-changing request needs the `X-HPF-CSRF` header and must come from the hall's own origin; a business request needs the session cookie set by a login. Amounts are decimal strings in 元 with two decimals; dates are `YYYY-MM-DD`.",
        license(name = "MIT")
    ),
    components(schemas(shared::ApiError)),
    modifiers(&Security),
    tags(
        (name = "system", description = "健康检查、业务时钟、日历与业务规则"),
        (name = "account", description = "注册、登录、短信验证码、附加码"),
        (name = "loans", description = "我的住房公积金贷款与预约业务"),
        (name = "progress", description = "业务进度查询与撤销"),
        (name = "withdrawal", description = "提取"),
        (name = "fund", description = "我的公积金账户：缴存明细与年度对账单"),
    )
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::account::session::COOKIE,
                "the session, set by a login (HttpOnly, SameSite=Strict)",
            ))),
        );
        components.add_security_scheme(
            "csrf",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                crate::account::session::CSRF_HEADER,
                "any value: a state-changing request must carry it (a form on another site cannot)",
            ))),
        );
    }
}

/// The API's routes (relative to `/api`) and their document (paths under `/api`).
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(utoipa_axum::routes!(document))
        .merge(crate::system::routes())
        .merge(crate::account::routes())
        .merge(crate::loan::routes())
        .merge(crate::progress::routes())
        .merge(crate::withdrawal::routes())
        .merge(crate::fund::routes())
        .split_for_parts();
    let paths = std::mem::take(&mut doc.paths.paths);
    doc.paths.paths = paths
        .into_iter()
        .map(|(path, item)| (format!("/api{path}"), item))
        .collect();
    match doc.to_json() {
        Ok(json) => {
            let _ = DOCUMENT.set(json);
        }
        Err(error) => tracing::error!(%error, "cannot serialise the OpenAPI document"),
    }
    (router, doc)
}

/// The document as served: serialised once, when the router is built.
static DOCUMENT: std::sync::OnceLock<String> = std::sync::OnceLock::new();

#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "system",
    summary = "本文档（OpenAPI 3.1）",
    responses((status = 200, description = "this document", content_type = "application/json"))
)]
async fn document() -> axum::response::Response {
    use axum::response::IntoResponse;
    match DOCUMENT.get() {
        Some(json) => (
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json.clone(),
        )
            .into_response(),
        None => crate::error::Error::Internal("the OpenAPI document was not built".into())
            .into_response(),
    }
}
