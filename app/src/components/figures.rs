//! Figures as the hall prints them, and the member header every business page starts with.

use leptos::prelude::*;
use rust_decimal::Decimal;
use shared::loan::wire::MemberHeader;

/// "3,362.48": two decimals with thousands separators, one style for every amount of the hall
/// (the manual's list style).
pub fn yuan(value: Decimal) -> String {
    shared::money::format_thousands(value)
}

/// 单位账号, 单位名称, 个人账号, 姓名.
#[component]
pub fn MemberHeaderView(
    header: MemberHeader,
    /// "姓名：" on the loan screens, "个人姓名：" on 提取.
    #[prop(default = "姓名：")]
    name_label: &'static str,
) -> impl IntoView {
    view! {
        <dl class="member-header">
            <div><dt>"单位账号："</dt><dd>{header.unit_account}</dd></div>
            <div><dt>"单位名称："</dt><dd>{header.unit_name}</dd></div>
            <div><dt>"个人账号："</dt><dd>{header.personal_account}</dd></div>
            <div><dt>{name_label}</dt><dd>{header.name}</dd></div>
        </dl>
    }
}
