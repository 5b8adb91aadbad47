#![no_main]
//! Fuzz target: see papershelf::fuzz_checks::bibtex_entry for the property checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| papershelf::fuzz_checks::bibtex_entry(data));
