//! Comparing the names of units and orgs as people write them: the same 单位名称 turns up with
//! full-width or half-width brackets, digits and letters, and with stray spaces, depending on
//! who typed it (a national-system export, a county spreadsheet, the ledger's own form).

/// Full-width ASCII (Ａ, （, ：, ０ …) to half-width; the ideographic space to a space.
pub fn half_width(c: char) -> char {
    match c {
        '\u{3000}' => ' ',
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// A name folded for comparison: spaces dropped; full-width brackets, digits and Latin letters
/// (any full-width ASCII) made half-width; Latin letters lower-cased.
pub fn fold_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| half_width(c).to_ascii_lowercase())
        .collect()
}

/// Whether `full` (an org's 全称, say) contains `part` (a unit's 名称), as people read them.
/// An empty `part` is contained in nothing.
pub fn name_contains(full: &str, part: &str) -> bool {
    let part = fold_name(part);
    !part.is_empty() && fold_name(full).contains(&part)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_spaces_and_width_do_not_matter() {
        assert!(name_contains(
            "中共杭州某某(集团)有限公司委员会",
            "杭州某某（集团）有限公司"
        ));
        assert!(name_contains(
            "中共清河县第３建筑有限公司支部委员会",
            "清河县第3建筑 有限公司"
        ));
        assert!(name_contains(
            "中共ＡＢＣ科技有限公司支部",
            "abc科技有限公司"
        ));
    }

    #[test]
    fn different_names_and_empty_parts_do_not_match() {
        assert!(!name_contains(
            "中共杭州某某科技有限公司支部委员会",
            "杭州某某贸易有限公司"
        ));
        assert!(!name_contains("中共某某支部", ""));
        assert!(!name_contains("中共某某支部", "　"));
    }
}
