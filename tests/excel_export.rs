//! The order of an export's rows: as people look for them in the printed roster — members by
//! 党组织 and then by name, units by 乡镇街道 and name, orgs by name — names in 拼音 order
//! (by code point 张 would come before 李 and 王), people's surnames read as surnames.

mod common;
use calamine::{Data, Reader};
use common::*;
use std::path::Path;
use taizhang::excel::export::{export, ExportOptions};
use taizhang::model::*;

/// The values of the column headed `header` in the first sheet, below its header row.
fn column(path: &Path, header: &str) -> Vec<String> {
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).unwrap();
    let rows: Vec<&[Data]> = range.rows().collect();
    let (head, col) = rows
        .iter()
        .enumerate()
        .find_map(|(r, row)| {
            row.iter()
                .position(|c| matches!(c, Data::String(s) if s == header))
                .map(|c| (r, c))
        })
        .unwrap_or_else(|| panic!("no column {header}"));
    rows[head + 1..]
        .iter()
        .map(|row| row.get(col).map(|c| c.to_string()).unwrap_or_default())
        .filter(|v| !v.is_empty())
        .collect()
}

fn export_to(s: &taizhang::Store, dir: &Path, profile: &str) -> std::path::PathBuf {
    let out = dir.join(format!("{profile}.xlsx"));
    let opts = ExportOptions {
        profile: profile.into(),
        ..Default::default()
    };
    export(s, &out, &opts).unwrap();
    out
}

#[test]
fn members_by_org_then_name_in_pinyin_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store();
    let (_, org) = unit_and_org(&mut s, "清河县恒达机械有限公司");
    for (seq, name) in [
        (11, "张三"),
        (12, "王五"),
        (13, "李四"),
        (14, "艾一"),
        (15, "曾国藩"),
    ] {
        s.insert(member(&org, name, seq)).unwrap();
    }
    let out = export_to(&s, dir.path(), "members");
    // 曾 as a surname reads zēng: after 王, before 张.
    assert_eq!(
        column(&out, "姓名"),
        ["艾一", "李四", "王五", "曾国藩", "张三"]
    );
}

#[test]
fn units_by_area_then_name_and_orgs_by_name_in_pinyin_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store();
    for (name, area) in [
        ("西城张家有限公司", "西城街道"),
        ("东城王氏有限公司", "东城街道"),
        ("城关李记有限公司", "城关镇"),
        ("城关白鹭有限公司", "城关镇"),
    ] {
        let mut u = Unit::new(name, UnitCategory::Enterprise);
        u.area = Some(area.into());
        s.insert(u).unwrap();
    }
    let out = export_to(&s, dir.path(), "units");
    assert_eq!(
        column(&out, "单位名称"),
        [
            "城关白鹭有限公司",
            "城关李记有限公司",
            "东城王氏有限公司",
            "西城张家有限公司"
        ]
    );
    for name in ["中共伟业公司支部", "中共宝丰公司支部", "中共华茂公司支部"]
    {
        s.insert(Org::new(name, OrgType::Branch, "单独组建"))
            .unwrap();
    }
    let out = export_to(&s, dir.path(), "orgs");
    assert_eq!(
        column(&out, "党组织全称"),
        ["中共宝丰公司支部", "中共华茂公司支部", "中共伟业公司支部"]
    );
}
