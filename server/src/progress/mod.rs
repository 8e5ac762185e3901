//! 业务进度查询 — the member's applications with their timelines, one application (the receipt of
//! 查询打印), and 撤销 of a reservation before its date (`crate::application`, the rule in
//! `shared::application`).

use crate::account::session::CurrentUser;
use crate::application;
use crate::error::Result;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::Json;
use shared::application::Progress;
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(one))
        .routes(routes!(cancel))
}

#[utoipa::path(
    get,
    path = "/progress",
    tag = "progress",
    summary = "业务进度查询：我的申请",
    security(("session" = [])),
    responses((status = 200, body = Vec<Progress>), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Json<Vec<Progress>>> {
    application::list(&state, &user.personal_account)
        .await
        .map(Json)
}

#[utoipa::path(
    get,
    path = "/progress/{application_no}",
    tag = "progress",
    summary = "一笔申请的进度与回执",
    params(("application_no" = String, Path, description = "申请编号")),security(("session" = [])),
    responses((status = 200, body = Progress), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn one(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(application_no): Path<String>,
) -> Result<Json<Progress>> {
    application::own(&state, &user.personal_account, &application_no)
        .await
        .map(Json)
}

/// 撤销 (the rule and the race with the end-of-day run: `crate::application::cancel`).
#[utoipa::path(
    post,
    path = "/progress/{application_no}/cancel",
    tag = "progress",
    summary = "撤销（日终批处理执行之前）",
    params(("application_no" = String, Path, description = "申请编号")),security(("session" = [], "csrf" = [])),
    responses((status = 200, body = Progress), (status = 401, description = "未登录，或会话已超时", body = shared::ApiError), (status = 403, description = "请求来源无效（缺少 X-HPF-CSRF 头，或来源不是本站）", body = shared::ApiError), (status = 404, description = "未找到（或不是本人的）", body = shared::ApiError), (status = 422, description = "输入不正确（缺少字段、类型不对）或不符合业务规则：message 说明原因，field 指出字段", body = shared::ApiError), (status = 500, description = "内部错误（已记录，不显示原因）", body = shared::ApiError))
)]
async fn cancel(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(application_no): Path<String>,
) -> Result<Json<Progress>> {
    application::cancel(&state, &user.personal_account, &application_no)
        .await
        .map(Json)
}
