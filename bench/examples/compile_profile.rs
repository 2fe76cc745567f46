//! Times the stages of compiling the 10,000-feature benchmark document.
use std::time::Instant;
fn main() {
    let text = ff_bench::document(9995).to_string();
    for _ in 0..3 {
        let t = Instant::now();
        let parsed = ff_runtime::json::parse(&text).unwrap();
        let parse = t.elapsed();
        let t = Instant::now();
        let doc = ff_runtime::Document::from_value(&parsed.value).unwrap();
        let validate = t.elapsed();
        let t = Instant::now();
        let sj: serde_json::Value = serde_json::from_str(&text).unwrap();
        let serde = t.elapsed();
        let t = Instant::now();
        drop(doc);
        drop(parsed);
        drop(sj);
        println!("parse {parse:?} validate+compile {validate:?} (serde_json alone {serde:?}) drop {:?}", t.elapsed());
    }
}
