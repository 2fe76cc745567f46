//! The build script's flags, with `.warn_unused(true)`.
include!("../reads.rs");

mod flags {
    include!(concat!(env!("OUT_DIR"), "/flags.rs"));
}

reads!(flags);

fn main() {
    drop(run());
}
