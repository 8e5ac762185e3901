//! Controls shared by several pages.

pub mod dialog;
pub mod figures;
pub mod soft_keyboard;
pub mod submit;
