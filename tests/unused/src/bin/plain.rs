//! Both without the option: no warnings, unless FF_WARN_UNUSED=1.
include!("../reads.rs");

mod built {
    include!(concat!(env!("OUT_DIR"), "/flags_plain.rs"));
}

#[ff_macros::feature_flags("flags.json")]
mod expanded {}

mod read_built {
    use super::built;
    reads!(built);
    pub fn start() {
        drop(run());
    }
}

mod read_expanded {
    use super::expanded;
    reads!(expanded);
    pub fn start() {
        drop(run());
    }
}

fn main() {
    read_built::start();
    read_expanded::start();
}
