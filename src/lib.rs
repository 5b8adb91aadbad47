//! papershelf: a static site generator for daily research-paper digests.
//!
//! The pipeline, one module per step: [`config`] (site.toml) → [`content`] (walk `content/`,
//! read paper files, day files and table digests) → [`model`] (days, papers, authors, tags)
//! → `render` (Tera, Markdown, highlighting, pages in memory) → `output` (write into a
//! temporary folder, then swap). The command line in `cli` is a thin layer over these.

pub mod config;
pub mod content;
pub mod diagnostic;
pub mod model;
pub mod slug;
pub mod tomlread;
pub mod check;
pub mod cli;
pub mod error;
pub mod import;
pub mod write;
