//! The one-time cost of a typed read on a newly fetched document: resolving it against the
//! generated code's layout (feature positions, context-key slots, which features are exactly
//! as compiled). Printed for BENCHMARKS.md.
use std::time::Instant;

fn main() {
    let ctx = ff_bench::typed_context();
    let t = Instant::now();
    let parsed = ff_runtime::Document::parse(ff_bench::typed::DOCUMENT).unwrap();
    println!("parsing the compiled-in document alone ({} features, {} KiB): {:?}", parsed.len(), ff_bench::typed::DOCUMENT.len() / 1024, t.elapsed());
    // The compiled-in document is parsed once per process, on the first resolve.
    let first = ff_bench::typed_snapshot();
    let t = Instant::now();
    std::hint::black_box(first.no_rules(&ctx));
    println!("first typed read in the process (parses the compiled-in document, resolves): {:?}", t.elapsed());
    let mut times: Vec<_> = (0..9)
        .map(|_| {
            let snap = ff_bench::typed_snapshot();
            let t = Instant::now();
            std::hint::black_box(snap.no_rules(&ctx));
            t.elapsed()
        })
        .collect();
    times.sort();
    println!("first typed read of each later document (resolves it; median of 9): {:?}", times[4]);
}
