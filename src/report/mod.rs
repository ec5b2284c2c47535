//! Statistics and reports. [`stats`] computes every figure from the rules' [`Ledger`]
//! snapshot, so a report built on [`Stats`] shows the same numbers as `taizhang stats`.
//!
//! [`Ledger`]: crate::rules::Ledger

mod activity;
pub mod annual;
pub mod development;
pub mod stats;

pub use activity::{
    inspection_stats, quarter_completion, InspectionStats, QuarterCompletion, TypeCompletion,
    SAN_HUI_YI_KE,
};
pub use annual::{annual_report, load_layout, AnnualOptions, AnnualSummary, ReportLayout};
pub use development::{DevelopmentRow, DevelopmentStats};
pub use stats::{
    compute, coverage, stats_store, AreaStats, Count, Coverage, Definition, MemberStats, OrgStats,
    Stats, StatsOptions, UnitStats,
};
