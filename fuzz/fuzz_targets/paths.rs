#![no_main]
//! Fuzz target: see papershelf::fuzz_checks::urls_and_paths for the property checked.
libfuzzer_sys::fuzz_target!(|data: &[u8]| papershelf::fuzz_checks::urls_and_paths(data));
