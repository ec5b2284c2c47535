//! What an import wizard shows beside the bare import: which table was recognised, how each
//! header of the sheet maps to the ledger (and which template columns the sheet lacks), and
//! the dry-run or import result, with the error list bounded for display. Also the small
//! lookups an export screen needs (the county's own profiles folder, the 乡镇街道 in use).
//! Any front end (the desktop window, a script) uses these; nothing here writes.

use super::import::{import_file, ImportOptions, ImportSummary};
use super::profile::load_profiles;
use super::read::Book;
use crate::error::Result;
use crate::Store;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Profiles a county adds live in `profiles/` beside the database (as for the CLI).
pub fn profiles_dir(store: &Store) -> Option<PathBuf> {
    store
        .path()
        .and_then(Path::parent)
        .map(|d| d.join("profiles"))
}

/// A template as offered for choosing.
#[derive(Debug, Clone, Serialize, PartialEq, ts_rs::TS)]
pub struct ProfileInfo {
    pub id: String,
    /// 表名, e.g. 党员花名册
    pub name: String,
    /// Record type: member, unit, org, activity, inspection, dues.
    pub entity: String,
    pub columns: usize,
    /// Read on import only (a sign-in sheet): not offered for export.
    pub import_only: bool,
}

/// The shipped templates and the county's own.
pub fn profile_list(store: &Store) -> Result<Vec<ProfileInfo>> {
    Ok(load_profiles(profiles_dir(store).as_deref())?
        .into_iter()
        .map(|p| ProfileInfo {
            columns: p.columns.len(),
            import_only: p.import_only,
            id: p.id,
            name: p.name,
            entity: p.entity,
        })
        .collect())
}

pub use super::mapping::{ColumnMapping, MissingColumn};

/// What the wizard shows about one import (or its dry run).
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
pub struct ImportReport {
    pub summary: ImportSummary,
    /// Every non-empty header of the sheet, left to right.
    pub mapping: Vec<ColumnMapping>,
    /// Template columns not in the sheet (序号 and the hidden 系统编号 are never listed).
    pub missing: Vec<MissingColumn>,
    /// How many cell errors there are in all; `summary.errors` holds at most the first
    /// `max_errors` of them (the errors workbook has every one).
    pub errors_total: usize,
}

/// Import (or preview, with `opts.dry_run`) and describe the mapping the import used.
/// `opts.profiles_dir` is filled from the store when unset. Returns the workbook as read too,
/// for an errors workbook.
pub fn import_report(
    store: &mut Store,
    path: &Path,
    mut opts: ImportOptions,
    max_errors: usize,
) -> Result<(ImportReport, Book)> {
    if opts.profiles_dir.is_none() {
        opts.profiles_dir = profiles_dir(store);
    }
    let outcome = import_file(store, path, &opts)?;
    let mut summary = outcome.summary;
    let mapping = std::mem::take(&mut summary.columns);
    let missing = std::mem::take(&mut summary.missing);
    let errors_total = summary.error_count();
    summary.errors.truncate(max_errors);
    Ok((
        ImportReport {
            summary,
            mapping,
            missing,
            errors_total,
        },
        outcome.book,
    ))
}

/// The 乡镇街道 named on units and orgs, for choosing an export's or a report's scope.
pub fn areas(store: &Store) -> Result<Vec<String>> {
    let mut stmt = store.conn().prepare(&format!(
        "SELECT area FROM unit WHERE trim(coalesce(area, '')) <> ''
         UNION SELECT area FROM org WHERE trim(coalesce(area, '')) <> '' ORDER BY 1 COLLATE {}",
        crate::store::collate::PINYIN
    ))?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<std::result::Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::excel::layout::find_layout;
    use crate::excel::profile::Profile;
    use crate::excel::read::{Cell, Row, Sheet};

    fn row(index: u32, cells: &[&str]) -> Row {
        Row {
            index,
            cells: cells
                .iter()
                .enumerate()
                .filter(|(_, t)| !t.is_empty())
                .map(|(c, t)| (c as u32, Cell::Text(t.to_string())))
                .collect(),
        }
    }

    /// The mapping the import settles on for a sheet.
    fn column_mapping(
        profile: &Profile,
        sheet: &Sheet,
    ) -> (Vec<ColumnMapping>, Vec<MissingColumn>) {
        let mut layout = find_layout(profile, sheet).unwrap();
        crate::excel::import::settle(profile, sheet, &mut layout, &ImportOptions::default());
        crate::excel::mapping::column_mapping(profile, &layout)
    }

    fn members() -> Profile {
        load_profiles(None)
            .unwrap()
            .into_iter()
            .find(|p| p.id == "members")
            .unwrap()
    }

    #[test]
    fn maps_headers_lists_unknown_and_missing() {
        let sheet = Sheet {
            name: "花名册".into(),
            rows: vec![
                row(0, &["清河县党员花名册"]),
                row(
                    2,
                    &[
                        "序 号",
                        "姓　名",
                        "身份证号",
                        "籍贯",
                        "所在党支部",
                        "入党时间",
                    ],
                ),
                row(
                    3,
                    &[
                        "1",
                        "王建国",
                        "110101199003071234",
                        "浙江",
                        "中共甲支部委员会",
                        "2012.7.1",
                    ],
                ),
            ],
            merges: vec![],
        };
        let (mapping, missing) = column_mapping(&members(), &sheet);
        let cols: Vec<(&str, &str, Option<&str>)> = mapping
            .iter()
            .map(|m| (m.column.as_str(), m.header.as_str(), m.target.as_deref()))
            .collect();
        assert_eq!(
            cols,
            vec![
                ("A", "序 号", Some("序号")),
                ("B", "姓　名", Some("姓名")),
                ("C", "身份证号", Some("公民身份号码")),
                ("D", "籍贯", None),
                ("E", "所在党支部", Some("所在党支部")),
                ("F", "入党时间", Some("入党日期")),
            ]
        );
        assert_eq!(mapping[1].field.as_deref(), Some("name"));
        assert!(mapping[3].note.as_deref().unwrap().contains("忽略"));
        let headers: Vec<&str> = missing.iter().map(|m| m.header.as_str()).collect();
        assert!(headers.contains(&"性别") && headers.contains(&"手机号码"));
        assert!(!headers.contains(&"序号") && !headers.contains(&"系统编号"));
    }

    #[test]
    fn two_row_headers_take_the_sub_header_else_the_parent() {
        let sheet = Sheet {
            name: "Sheet1".into(),
            rows: vec![
                row(0, &["姓名", "公民身份号码", "组织关系", ""]),
                row(1, &["", "", "所在党支部", "入党日期"]),
                row(
                    2,
                    &[
                        "王建国",
                        "110101199003071234",
                        "中共甲支部委员会",
                        "2012-07-01",
                    ],
                ),
            ],
            merges: vec![],
        };
        let (mapping, _) = column_mapping(&members(), &sheet);
        let headers: Vec<&str> = mapping.iter().map(|m| m.header.as_str()).collect();
        assert_eq!(
            headers,
            vec!["姓名", "公民身份号码", "所在党支部", "入党日期"]
        );
    }

    #[test]
    fn of_two_columns_for_one_field_the_parsable_one_is_used() {
        // 人员类别 as staff category (not a member category) beside 党籍状态.
        let sheet = Sheet {
            name: "Sheet1".into(),
            rows: vec![
                row(
                    0,
                    &["姓名", "公民身份号码", "人员类别", "所在党支部", "党员类别"],
                ),
                row(
                    1,
                    &[
                        "王建国",
                        "110101199003071234",
                        "在职职工",
                        "中共甲支部委员会",
                        "正式党员",
                    ],
                ),
                row(
                    2,
                    &[
                        "李芳",
                        "110101199203031234",
                        "退休",
                        "中共甲支部委员会",
                        "预备党员",
                    ],
                ),
            ],
            merges: vec![],
        };
        let profile = members();
        let (mapping, _) = column_mapping(&profile, &sheet);
        let by_col = |c: &str| mapping.iter().find(|m| m.column == c).unwrap();
        assert_eq!(by_col("E").target.as_deref(), Some("人员类别"));
        assert_eq!(by_col("C").target, None);
        assert!(by_col("C")
            .note
            .as_deref()
            .unwrap()
            .contains("同为“人员类别”"));
    }
}
