//! The app's pages, one per route.

pub mod home;
pub mod quote;
pub mod reader;
pub mod workbench;
