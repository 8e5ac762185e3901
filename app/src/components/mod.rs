//! Controls shared by several pages.

pub mod dialog;
pub mod soft_keyboard;
