//! Compliance rules (DESIGN.md §5): pure functions from the ledger to findings.
