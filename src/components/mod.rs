//! Components shared by several pages.

pub mod chart;
pub mod frames;
pub mod latest;
pub mod marked;
pub mod number;
pub mod offline;
pub mod prefs;
pub mod preview;
