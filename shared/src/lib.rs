//! 公积金个人网厅 — the shared domain.
//!
//! Everything that decides a figure or a yes/no lives here once, pure (no I/O, no clock), and is
//! compiled for the browser (wasm32) and the server alike: the browser runs a trial (试算) instantly,
//! the server runs the very same function again before it accepts a submission.
//!
//! Modules follow the business capabilities: [`loan`] (贷款: trials, schedules, validity),
//! [`account`] (注册/登录: ID numbers, phones, passwords, names), [`withdrawal`] (退休销户提取
//! eligibility), plus the [`calendar`] of working days, the [`policy`] (business hours, blackout
//! windows) and the building blocks [`money`], [`date`], [`mask`], [`error`].

pub mod account;
pub mod application;
pub mod calendar;
pub mod date;
pub mod error;
pub mod fund;
pub mod loan;
pub mod mask;
pub mod member;
pub mod money;
pub mod plan;
pub mod policy;
pub mod withdrawal;

pub use error::ApiError;
