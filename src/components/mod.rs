//! Components shared by several pages.

pub mod prefs;
