//! The app's pages, one per route.

pub mod home;
pub mod reader;
pub mod workbench;
