//! Matching a header to a template column by what it means, not only by a listed alias.
//!
//! Three ways, in order of trust:
//! 1. **Exact** — the normalised header is the column's header or one of its aliases.
//! 2. **Core** — the same once bracketed hints and punctuation are stripped from both:
//!    「所在党支部（全称）」, 「手机号码/电话」, 「【必填】姓名」.
//! 3. **Meaning** — the header's core holds the words that carry the column's meaning (each
//!    of the column's `meaning` patterns) and none of its `exclude` words:
//!    「党员所属支部名称」 holds 支部 and no 编码/书记/时…, so it is 所在党支部. These are guesses:
//!    the wizard marks them and an import lists them.
//!
//! The words are data (each column's `meaning` and `exclude` in assets/profiles/*.json, and
//! the county's `profiles/aliases.json`), so a county extends them without code.

use super::normalize;

/// How a header matched its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HowMatched {
    /// By the column's header or a listed alias.
    Exact,
    /// By a header or alias once hints in brackets and punctuation are set aside.
    Core,
    /// By the words that carry the column's meaning: a guess, shown as one.
    Meaning,
}

/// A `meaning` pattern made ready: every group must occur; a group is satisfied by any of its
/// words. Written in the profile as 「所在|所属+支部|党组织」.
pub type Pattern = Vec<Vec<String>>;

/// Parse a written pattern (`+` between groups, `|` between a group's words).
pub fn pattern(written: &str) -> Pattern {
    written
        .split('+')
        .map(|g| {
            g.split('|')
                .map(core)
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
        })
        .filter(|g| !g.is_empty())
        .collect()
}

/// Brackets whose content is a hint, not the header: 「党籍状态（正式党员或预备党员）」.
const BRACKETS: [(char, char); 6] = [
    ('(', ')'),
    ('[', ']'),
    ('【', '】'),
    ('<', '>'),
    ('《', '》'),
    ('{', '}'),
];

/// Marks people add to a header that carry no meaning.
const HINT_WORDS: [&str; 4] = ["非必填", "必填", "选填", "可选"];

/// The header without bracketed hints, punctuation or 必填 marks (already normalised or not).
pub fn core(raw: &str) -> String {
    let h = normalize::header(raw);
    let mut out = String::with_capacity(h.len());
    let mut depth: Vec<char> = Vec::new();
    for c in h.chars() {
        if let Some((_, close)) = BRACKETS.iter().find(|(open, _)| *open == c) {
            depth.push(*close);
            continue;
        }
        if depth.last() == Some(&c) {
            depth.pop();
            continue;
        }
        if !depth.is_empty() {
            continue;
        }
        if c.is_ascii_punctuation() || "、，。；：？！·…—“”‘’".contains(c) {
            continue;
        }
        out.push(c);
    }
    for w in HINT_WORDS {
        if out.len() > w.len() {
            out = out.replace(w, "");
        }
    }
    out
}

/// Headers longer than this are never matched by meaning.
const MEANING_MAX_CHARS: usize = 10;

/// How strongly a header's core fits a column's meaning: the length of the words that
/// matched, or None when a pattern does not hold or an excluded word occurs.
pub fn meaning_score(core: &str, patterns: &[Pattern], exclude: &[String]) -> Option<usize> {
    // A long text is a question or a note (一人一表 forms), not a column's name.
    if core.is_empty()
        || core.chars().count() > MEANING_MAX_CHARS
        || exclude.iter().any(|w| core.contains(w.as_str()))
    {
        return None;
    }
    patterns
        .iter()
        .filter_map(|p| {
            p.iter()
                .map(|group| {
                    group
                        .iter()
                        .filter(|w| core.contains(w.as_str()))
                        .map(|w| w.chars().count())
                        .max()
                })
                .sum::<Option<usize>>()
        })
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cores_drop_hints_and_punctuation() {
        assert_eq!(core("所在党支部（全称）"), "所在党支部");
        assert_eq!(core("党籍状态（正式党员或预备党员）"), "党籍状态");
        assert_eq!(core("【必填】姓名"), "姓名");
        assert_eq!(core("*姓名(必填)"), "姓名");
        assert_eq!(core("手机号码/电话"), "手机号码电话");
        assert_eq!(core("预/正"), "预正");
        assert_eq!(core("(由流出地党组织负责采集)："), "");
        assert_eq!(core("入党时间：yyyy-mm"), "入党时间yyyymm");
    }

    #[test]
    fn meaning_needs_every_group_and_no_excluded_word() {
        let p = vec![pattern("所在|所属|隶属+支部|党组织"), pattern("党支部")];
        let ex: Vec<String> = ["编码", "时"].map(String::from).into();
        assert_eq!(meaning_score("党员所属支部名称", &p, &ex), Some(4));
        assert_eq!(meaning_score("党支部", &p, &ex), Some(3));
        assert_eq!(meaning_score("所在党支部编码", &p, &ex), None);
        assert_eq!(meaning_score("入党时所在党支部", &p, &ex), None);
        assert_eq!(meaning_score("所在单位", &p, &ex), None);
    }
}
