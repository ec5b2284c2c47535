//! The UI's TypeScript types for what the core sends (ui/src/api/generated/core.ts) are the
//! Rust types' own: this fails when the file is stale (see `taizhang::ui_types`).

use std::path::Path;
use taizhang::ui_types::{check_or_write, core_types, render};

#[test]
fn ui_types_of_the_core_are_current() {
    let text = render(&core_types(), &[]).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/api/generated/core.ts");
    check_or_write(&path, &text).unwrap();
}
