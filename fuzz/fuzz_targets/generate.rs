#![no_main]
//! The `generate` fuzz target: see `ff_fuzz::check_generate`.

libfuzzer_sys::fuzz_target!(|data: &[u8]| ff_fuzz::check_generate(data));
