//! Integration tests: one test crate, a module per feature. They run the real binary on
//! fixture sites under `tests/fixtures/` (copied to a temporary folder first) and assert on
//! the files written and the exact messages printed.

// Tests say why they skip on the harness's captured output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod atomic;
mod bad_input;
mod browser;
mod build;
mod check;
mod closed_pipes;
mod corpus;
mod crawl;
mod enrich;
mod fuzz_regressions;
mod import;
mod incremental;
mod init;
mod injection;
mod jsonl;
mod lang;
mod load;
mod pagination;
mod periods;
mod reading;
mod search;
mod security;
mod serve;
mod serve_hardening;
mod support;
mod tools;
mod triage;
