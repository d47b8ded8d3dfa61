//! Components shared by several pages.

pub mod offline;
pub mod prefs;
