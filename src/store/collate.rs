//! 拼音排序 — sorting Chinese text the way people (and Excel, WPS) expect: by the pinyin of
//! each character, not by Unicode code point (which puts 张 before 李 but after 王 at random).
//! Registered on every connection as the SQLite collation [`PINYIN`] and used by list sorting.

use pinyin::ToPinyin;
use rusqlite::Connection;
use std::cmp::Ordering;

/// The SQLite collation's name (`ORDER BY name COLLATE pinyin`).
pub const PINYIN: &str = "pinyin";

/// Where a character sorts: digits and Latin letters first, then 汉字 by pinyin (tone number
/// last: li3 < liang2), then anything else by code point.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Latin(char),
    Han(&'static str),
    Other(char),
}

fn key(c: char) -> Key {
    if c.is_ascii_alphanumeric() {
        return Key::Latin(c.to_ascii_lowercase());
    }
    match c.to_pinyin() {
        Some(p) => Key::Han(p.with_tone_num_end()),
        None => Key::Other(c),
    }
}

/// Compare two texts character by character in pinyin order; texts that read the same (同音字)
/// are ordered by code point so the order is total and stable.
pub fn pinyin_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a.chars(), b.chars());
    loop {
        match (x.next(), y.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p == q => {}
            (Some(p), Some(q)) => match key(p).cmp(&key(q)) {
                Ordering::Equal => {}
                other => return other,
            },
        }
    }
}

/// Make the collation known to a connection (each connection needs its own).
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_collation(PINYIN, pinyin_cmp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| pinyin_cmp(a, b));
        v
    }

    #[test]
    fn surnames_sort_by_pinyin() {
        assert_eq!(
            sorted(&["张三", "王五", "李四", "赵六", "安七", "白八"]),
            ["安七", "白八", "李四", "王五", "张三", "赵六"]
        );
        // Code point order would be 张 (U+5F20) < 李 (U+674E) < 王 (U+738B).
        assert_eq!("张三".cmp("李四"), Ordering::Less);
        assert_eq!(pinyin_cmp("张三", "李四"), Ordering::Greater);
    }

    #[test]
    fn shorter_syllables_and_prefixes_first() {
        // li < liang; 李 < 李四; tones order within a syllable (李 li3 < 力 li4).
        assert_eq!(sorted(&["梁", "李四", "李"]), ["李", "李四", "梁"]);
        assert_eq!(pinyin_cmp("李", "力"), Ordering::Less);
    }

    #[test]
    fn digits_and_latin_before_chinese_case_insensitive() {
        assert_eq!(
            sorted(&["中共某支部", "abc公司", "ABD公司", "3号楼"]),
            ["3号楼", "abc公司", "ABD公司", "中共某支部"]
        );
    }

    #[test]
    fn order_is_total() {
        // Homophones (同音字) differ, yet never compare equal unless identical.
        assert_ne!(pinyin_cmp("李", "理"), Ordering::Equal);
        assert_eq!(pinyin_cmp("李", "李"), Ordering::Equal);
        assert_eq!(pinyin_cmp("", "李"), Ordering::Less);
    }

    #[test]
    fn sqlite_orders_by_it() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE t(name TEXT); INSERT INTO t VALUES ('张三'), ('李四'), ('王五'), ('艾一');",
        )
        .unwrap();
        let names: Vec<String> = conn
            .prepare("SELECT name FROM t ORDER BY name COLLATE pinyin")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(names, ["艾一", "李四", "王五", "张三"]);
    }
}
