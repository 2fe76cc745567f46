//! The differential test's machinery: random cases ([`gen`]), the reference ([`oracle`]),
//! comparing ff with it ([`check`]) and minimising a failing case ([`shrink`]). The test
//! itself is `tests/tests/differential.rs`.

pub mod check;
pub mod gen;
pub mod oracle;
pub mod shrink;
