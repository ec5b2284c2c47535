//! Demo data
