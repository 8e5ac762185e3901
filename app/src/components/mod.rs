//! Controls shared by several pages.

pub mod soft_keyboard;
