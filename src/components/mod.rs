//! Components shared by several pages.

pub mod chart;
pub mod frames;
pub mod latest;
pub mod marked;
pub mod offline;
pub mod prefs;
