//! Excel: the 导入 wizard (preview, import, errors workbook), 导出 of each table from its
//! template, and the annual report workbook. Thin wrappers over `taizhang::excel` and
//! `taizhang::report`; what the wizard shows beyond the import itself (the column mapping)
//! comes from `taizhang::excel::wizard`.

use super::parse_id;
use crate::error::{IpcError, IpcResult};
use crate::state::Ledger;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use taizhang::excel::errors_book::write_errors_book;
use taizhang::excel::export::{export, ExportOptions, ExportSummary};
use taizhang::excel::import::{ImportOptions, ImportSummary};
use taizhang::excel::progress::{Progress, ProgressFn};
use taizhang::excel::read::Book;
use taizhang::excel::wizard::{self, ImportReport, ProfileInfo};
use taizhang::report::{annual_report as write_annual_report, AnnualOptions, AnnualSummary};
use taizhang::store::REPORT_UNIT_KEY;
use tauri::ipc::JavaScriptChannelId;
use tauri::{Manager, State, Webview};

/// At most this many cell errors cross to the window; the errors workbook has all of them.
const MAX_ERRORS_SHOWN: usize = 2000;

/// The last previewed workbook (so the errors workbook is the one the user saw, without
/// reading the file again) and the files written this session (the only folders the window
/// may ask to open).
#[derive(Default)]
pub struct ExcelState {
    last: Arc<Mutex<Option<LastImport>>>,
    written: Arc<Mutex<HashSet<PathBuf>>>,
}

struct LastImport {
    path: PathBuf,
    profile: Option<String>,
    org: Option<String>,
    summary: ImportSummary,
    book: Book,
}

impl ExcelState {
    fn remember_written(&self, path: &Path) {
        self.written
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(path.to_path_buf());
    }
}

/// A file the user picked to read: it must exist.
fn source_path(raw: &str) -> IpcResult<PathBuf> {
    let raw = raw.trim().trim_matches('"');
    if raw.is_empty() {
        return Err(IpcError::input("请选择要导入的 Excel 文件"));
    }
    let path = PathBuf::from(raw);
    if !path.is_file() {
        return Err(IpcError::input(format!(
            "找不到文件“{raw}”：请检查路径，或点击“选择文件”重新选择"
        )));
    }
    Ok(path)
}

/// Where to write a workbook: `.xlsx` added when missing, the folder must exist, and an
/// existing file is replaced only when the user said so (`exists` otherwise).
fn dest_path(raw: &str, overwrite: bool) -> IpcResult<PathBuf> {
    let raw = raw.trim().trim_matches('"');
    if raw.is_empty() {
        return Err(IpcError::input("请选择保存位置"));
    }
    let mut path = PathBuf::from(raw);
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".xlsx");
        path.set_file_name(name);
    }
    if !path.is_absolute() {
        return Err(IpcError::input(format!(
            "“{raw}”不是完整路径：请点击“选择位置”选择保存的文件夹"
        )));
    }
    if let Some(dir) = path.parent() {
        if !dir.is_dir() {
            return Err(IpcError::input(format!(
                "文件夹“{}”不存在：请选择一个已有的文件夹",
                dir.display()
            )));
        }
    }
    if path.is_dir() {
        return Err(IpcError::input(format!(
            "“{}”是一个文件夹：请在后面写上文件名",
            path.display()
        )));
    }
    if path.exists() && !overwrite {
        return Err(IpcError::new(
            "exists",
            format!("文件“{}”已存在，要替换它吗？", path.display()),
        ));
    }
    Ok(path)
}

fn blank_to_none(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The templates (shipped and the county's own in `profiles/` beside the database).
#[tauri::command]
pub async fn excel_profiles(state: State<'_, Ledger>) -> IpcResult<Vec<ProfileInfo>> {
    state.run(|s| Ok(wizard::profile_list(s)?)).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportInput {
    pub path: String,
    /// Template id; recognised from the headers when absent.
    #[serde(default)]
    pub profile: Option<String>,
    #[serde(default)]
    pub dry_run: bool,
    #[serde(default)]
    pub skip_invalid: bool,
    /// 党组织全称 for rows that name none (a sheet without a 所在党支部 column).
    #[serde(default)]
    pub org: Option<String>,
}

/// Progress reports sent to a channel the window passed (phase, rows done, rows in all).
fn progress_to(webview: Webview, channel: Option<JavaScriptChannelId>) -> Option<ProgressFn> {
    let channel = channel?.channel_on::<_, Progress>(webview);
    Some(Arc::new(move |p: Progress| {
        // The window may have gone away; the work goes on.
        let _ = channel.send(p);
    }))
}

/// Preview (`dryRun`) or import a workbook: the table recognised, the column mapping, the
/// counts, the records the import creates and the cell errors. Progress goes to `onProgress`
/// (a channel) when the window passes one.
#[tauri::command]
pub async fn import_excel(
    webview: Webview,
    state: State<'_, Ledger>,
    excel: State<'_, ExcelState>,
    input: ImportInput,
    on_progress: Option<JavaScriptChannelId>,
) -> IpcResult<ImportReport> {
    let path = source_path(&input.path)?;
    let profile = blank_to_none(input.profile);
    let org = blank_to_none(input.org);
    let last = excel.last.clone();
    let progress = progress_to(webview, on_progress);
    state
        .run(move |s| {
            let opts = ImportOptions {
                profile: profile.clone(),
                dry_run: input.dry_run,
                skip_invalid: input.skip_invalid,
                progress,
                org: org.clone(),
                ..Default::default()
            };
            let (mut report, book) = wizard::import_report(s, &path, opts, usize::MAX)?;
            // The whole error list stays here for the errors workbook; the window gets the first.
            *last.lock().unwrap_or_else(|p| p.into_inner()) = Some(LastImport {
                path,
                profile,
                org,
                summary: report.summary.clone(),
                book,
            });
            report.summary.errors.truncate(MAX_ERRORS_SHOWN);
            Ok(report)
        })
        .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorsBookInput {
    /// The workbook that was previewed.
    pub path: String,
    #[serde(default)]
    pub profile: Option<String>,
    /// The org chosen for the file in the preview.
    #[serde(default)]
    pub org: Option<String>,
    pub dest: String,
    #[serde(default)]
    pub overwrite: bool,
}

/// Save a copy of the previewed workbook with the bad cells highlighted and commented and
/// an error column, for the user to correct in Excel and import again.
#[tauri::command]
pub async fn save_errors_book(
    state: State<'_, Ledger>,
    excel: State<'_, ExcelState>,
    input: ErrorsBookInput,
) -> IpcResult<String> {
    let path = source_path(&input.path)?;
    let dest = dest_path(&input.dest, input.overwrite)?;
    if dest == path {
        return Err(IpcError::input(
            "错误标注文件不能覆盖原文件：请换一个文件名",
        ));
    }
    let profile = blank_to_none(input.profile);
    let org = blank_to_none(input.org);
    let last = excel.last.clone();
    let out = dest.clone();
    state
        .run(move |s| {
            let cached = last.lock().unwrap_or_else(|p| p.into_inner()).take();
            let (summary, book) = match cached {
                Some(l) if l.path == path && l.profile == profile && l.org == org => {
                    (l.summary, l.book)
                }
                _ => {
                    let opts = ImportOptions {
                        profile: profile.clone(),
                        org: org.clone(),
                        dry_run: true,
                        profiles_dir: wizard::profiles_dir(s),
                        ..Default::default()
                    };
                    let o = taizhang::excel::import::import_file(s, &path, &opts)?;
                    (o.summary, o.book)
                }
            };
            let written = if !summary.has_errors() {
                Err(IpcError::input("这个文件没有错误，不需要错误标注文件"))
            } else {
                write_errors_book(&book, &summary, &out).map_err(IpcError::from)
            };
            *last.lock().unwrap_or_else(|p| p.into_inner()) = Some(LastImport {
                path,
                profile,
                org,
                summary,
                book,
            });
            written
        })
        .await?;
    excel.remember_written(&dest);
    Ok(dest.display().to_string())
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportInput {
    /// Template id or name.
    pub profile: String,
    pub dest: String,
    /// Only this org and the orgs under it.
    #[serde(default)]
    pub org: Option<String>,
    /// Only this 乡镇街道.
    #[serde(default)]
    pub area: Option<String>,
    #[serde(default)]
    pub overwrite: bool,
}

/// Write a table as the county's template lays it out; progress goes to `onProgress`.
#[tauri::command]
pub async fn export_excel(
    webview: Webview,
    state: State<'_, Ledger>,
    excel: State<'_, ExcelState>,
    input: ExportInput,
    on_progress: Option<JavaScriptChannelId>,
) -> IpcResult<ExportSummary> {
    let dest = dest_path(&input.dest, input.overwrite)?;
    let org = blank_to_none(input.org)
        .map(|id| parse_id(&id))
        .transpose()?;
    let area = blank_to_none(input.area);
    let out = dest.clone();
    let progress = progress_to(webview, on_progress);
    let summary = state
        .run(move |s| {
            let opts = ExportOptions {
                profile: input.profile,
                org,
                area,
                profiles_dir: wizard::profiles_dir(s),
                progress,
                ..Default::default()
            };
            Ok(export(s, &out, &opts)?)
        })
        .await?;
    excel.remember_written(&dest);
    Ok(summary)
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportInput {
    pub year: i32,
    pub dest: String,
    #[serde(default)]
    pub area: Option<String>,
    /// 制表人; the operator when blank.
    #[serde(default)]
    pub preparer: Option<String>,
    #[serde(default)]
    pub overwrite: bool,
}

/// The annual statistics workbook for a year (figures as of 31 December).
#[tauri::command]
pub async fn annual_report(
    state: State<'_, Ledger>,
    excel: State<'_, ExcelState>,
    input: ReportInput,
) -> IpcResult<AnnualSummary> {
    let dest = dest_path(&input.dest, input.overwrite)?;
    let out = dest.clone();
    let summary = state
        .run(move |s| {
            let opts = AnnualOptions {
                year: input.year,
                area: blank_to_none(input.area),
                preparer: blank_to_none(input.preparer)
                    .or_else(|| Some(s.session().operator.clone())),
                ..Default::default()
            };
            Ok(write_annual_report(s, &out, &opts)?)
        })
        .await?;
    excel.remember_written(&dest);
    Ok(summary)
}

#[derive(Debug, Serialize, ts_rs::TS)]
pub struct ExcelDefaults {
    /// Where files are saved unless the user picks another folder.
    pub dir: String,
    /// The ledger's today (file names carry it).
    pub today: String,
    /// 乡镇街道 in use, for the scope of an export or a report.
    pub areas: Vec<String>,
    pub report_unit: Option<String>,
    pub operator: String,
}

/// What the export and report forms start from.
#[tauri::command]
pub async fn excel_defaults(
    app: tauri::AppHandle,
    state: State<'_, Ledger>,
) -> IpcResult<ExcelDefaults> {
    let paths = app.path();
    let dir = [paths.document_dir().ok(), paths.home_dir().ok()]
        .into_iter()
        .flatten()
        .find(|d| d.is_dir())
        .or_else(|| state.path.parent().map(Path::to_path_buf))
        .unwrap_or_default();
    state
        .run(move |s| {
            Ok(ExcelDefaults {
                dir: dir.display().to_string(),
                today: s.today().to_string(),
                areas: wizard::areas(s)?,
                report_unit: s.setting(REPORT_UNIT_KEY)?,
                operator: s.session().operator.clone(),
            })
        })
        .await
}

/// Show a file this session wrote in the system's file manager.
#[tauri::command]
pub fn open_folder(excel: State<'_, ExcelState>, path: String) -> IpcResult<()> {
    let path = PathBuf::from(path);
    let known = excel
        .written
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .contains(&path);
    if !known {
        return Err(IpcError::input("只能打开本次导出的文件所在的文件夹"));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut cmd = if cfg!(windows) {
        let mut c = std::process::Command::new("explorer");
        c.arg(format!("/select,{}", path.display()));
        c
    } else if cfg!(target_os = "macos") {
        let mut c = std::process::Command::new("open");
        c.arg("-R").arg(&path);
        c
    } else {
        let mut c = std::process::Command::new("xdg-open");
        c.arg(dir);
        c
    };
    let mut child = cmd.spawn().map_err(|e| {
        IpcError::new(
            "io",
            format!(
                "无法打开文件夹“{}”：{e}。请在文件管理器中打开它",
                dir.display()
            ),
        )
    })?;
    // Reap the helper when it ends.
    std::thread::spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_get_xlsx_and_never_replace_silently() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("党员花名册");
        let p = dest_path(base.to_str().unwrap(), false).unwrap();
        assert_eq!(p.extension().unwrap(), "xlsx");
        std::fs::write(&p, b"x").unwrap();
        let e = dest_path(p.to_str().unwrap(), false).unwrap_err();
        assert_eq!(e.code, "exists");
        assert!(e.message.contains("已存在"));
        assert_eq!(dest_path(p.to_str().unwrap(), true).unwrap(), p);
        let missing = dir.path().join("没有的文件夹").join("a.xlsx");
        let e = dest_path(missing.to_str().unwrap(), false).unwrap_err();
        assert!(e.message.contains("不存在"), "{}", e.message);
        assert_eq!(dest_path("  ", false).unwrap_err().code, "input");
        assert!(dest_path("相对路径.xlsx", false)
            .unwrap_err()
            .message
            .contains("完整路径"));
    }

    #[test]
    fn sources_must_exist() {
        let e = source_path("/没有/这个/文件.xlsx").unwrap_err();
        assert!(e.message.contains("找不到文件"));
        assert!(source_path("").unwrap_err().message.contains("请选择"));
    }
}
