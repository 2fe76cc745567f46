//! See tests/events.rs.
