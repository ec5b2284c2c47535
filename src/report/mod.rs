//! Statistics and the annual report.
