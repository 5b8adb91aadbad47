//! papershelf: a static site generator for daily research-paper digests.
//!
//! The pipeline, one module per step: [`config`] (site.toml) → [`content`] (walk `content/`,
//! read paper files, day files and table digests) → [`metadata`] (what [`enrich`] fetched into
//! `data/`, applied offline) → [`model`] (days, papers, authors, tags)
//! → [`render`] (Tera, Markdown, highlighting, pages in memory) → [`output`] (write into a
//! staging folder, then swap). [`project::Project`] runs them in order
//! (`Project::build_full`; `project/update.rs` for `serve`'s updates); [`build`], [`check`]
//! and [`serve`] use it, and [`cli`] is a thin layer over those.

// Diagnostics are returned by value on the error path only, which is cold: boxing them would
// make every call site noisier for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod arxiv;
pub mod build;
pub mod categories;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod enrich;
pub mod error;
#[doc(hidden)]
pub mod fuzz_checks;
pub mod import;
pub mod init;
pub mod lang;
pub mod linkcheck;
pub mod metadata;
pub mod model;
pub mod output;
pub mod print;
pub mod project;
pub mod render;
pub mod safe;
pub mod serve;
pub mod sitefs;
pub mod slug;
pub mod timing;
pub mod tomlread;
pub mod write;
