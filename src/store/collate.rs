//! 拼音 in the database. Sorting: Chinese text the way people (and Excel, WPS) expect — by the
//! pinyin of each character, not by Unicode code point (which puts 张 before 李 but after 王
//! at random); the SQLite collation [`PINYIN`]. Finding: 拼音首字母 (zs finds 张三), as office
//! software in this field lets people search; the SQL function [`INITIALS`]. People's names
//! have their own collation and function ([`PINYIN_NAME`], [`NAME_INITIALS`]) that read the
//! surname as a surname (曾 zēng, not céng). All are registered on every connection.

use pinyin::ToPinyin;
use rusqlite::Connection;
use std::cmp::Ordering;

/// The SQLite collation's name (`ORDER BY name COLLATE pinyin`).
pub const PINYIN: &str = "pinyin";

/// The SQL function giving a text's 拼音首字母 (`pinyin_initials('张三') = 'zs'`).
pub const INITIALS: &str = "pinyin_initials";

/// The collation for people's names: the first character read as a surname ([`SURNAMES`]).
pub const PINYIN_NAME: &str = "pinyin_name";

/// The 拼音首字母 of a person's name, the surname read as a surname.
pub const NAME_INITIALS: &str = "pinyin_name_initials";

/// 多音字姓氏: surnames read otherwise than the character's most common reading, as the
/// 《现代汉语词典》 gives them for 姓 (tone number last, as [`Key::Han`] holds readings).
pub const SURNAMES: &[(char, &str)] = &[
    ('曾', "zeng1"),
    ('单', "shan4"),
    ('解', "xie4"),
    ('仇', "qiu2"),
    ('区', "ou1"),
    ('朴', "piao2"),
    ('查', "zha1"),
    ('盖', "ge3"),
    ('乐', "yue4"),
    ('繁', "po2"),
    ('覃', "qin2"),
    ('种', "chong2"),
    ('缪', "miao4"),
    ('翟', "zhai2"),
    ('召', "shao4"),
    ('员', "yun4"),
    ('秘', "bi4"),
    ('折', "she2"),
    ('隗', "wei3"),
    ('阚', "kan4"),
    ('长', "chang2"),
    ('华', "hua4"),
    ('任', "ren2"),
    ('纪', "ji3"),
    ('谌', "chen2"),
];

/// People's names, by table: sorted and searched with [`PINYIN_NAME`] and [`NAME_INITIALS`].
const PERSON_NAMES: &[&str] = &["member", "instructor"];

/// The collation and the initials function for a column: a person's name, or any text.
pub fn for_column(table: &str, column: &str) -> (&'static str, &'static str) {
    if column == "name" && PERSON_NAMES.contains(&table) {
        (PINYIN_NAME, NAME_INITIALS)
    } else {
        (PINYIN, INITIALS)
    }
}

/// Where a character sorts: digits and Latin letters first, then 汉字 by pinyin (tone number
/// last: li3 < liang2), then anything else by code point.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Latin(char),
    Han(&'static str),
    Other(char),
}

/// The key of a person's name's first character: its surname reading when it has one.
fn surname_key(c: char) -> Key {
    match SURNAMES.iter().find(|(s, _)| *s == c) {
        Some((_, reading)) => Key::Han(reading),
        None => key(c),
    }
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
    cmp_by(a, b, key)
}

/// [`pinyin_cmp`] for people's names: the first character read as a surname.
pub fn name_cmp(a: &str, b: &str) -> Ordering {
    cmp_by(a, b, surname_key)
}

fn cmp_by(a: &str, b: &str, first: fn(char) -> Key) -> Ordering {
    let (mut x, mut y) = (a.chars(), b.chars());
    let mut key_of = first;
    loop {
        match (x.next(), y.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) if p == q => {}
            (Some(p), Some(q)) => match key_of(p).cmp(&key_of(q)) {
                Ordering::Equal => {}
                other => return other,
            },
        }
        key_of = key;
    }
}

/// The first letter of each character's pinyin, digits and Latin letters as they are (lower
/// case), anything else left out: 张三 → zs, 中共ABC公司 → zgabcgs.
pub fn initials(text: &str) -> String {
    initials_by(text, key)
}

/// [`initials`] of a person's name: 单雄信 → sxx.
pub fn name_initials(text: &str) -> String {
    initials_by(text, surname_key)
}

fn initials_by(text: &str, first: fn(char) -> Key) -> String {
    text.chars()
        .enumerate()
        .filter_map(|(i, c)| match if i == 0 { first(c) } else { key(c) } {
            Key::Latin(l) => Some(l),
            Key::Han(p) => p.chars().next(),
            Key::Other(_) => None,
        })
        .collect()
}

/// Whether a search text is meant as 拼音首字母: Latin letters only (zs, ZS).
pub fn looks_like_initials(search: &str) -> bool {
    !search.is_empty() && search.chars().all(|c| c.is_ascii_alphabetic())
}

/// Make the collation and the function known to a connection (each connection needs its own).
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_collation(PINYIN, pinyin_cmp)?;
    conn.create_collation(PINYIN_NAME, name_cmp)?;
    for (name, f) in [
        (INITIALS, initials as fn(&str) -> String),
        (NAME_INITIALS, name_initials),
    ] {
        conn.create_scalar_function(
            name,
            1,
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            move |ctx| {
                Ok(match ctx.get_raw(0) {
                    rusqlite::types::ValueRef::Text(t) => Some(f(&String::from_utf8_lossy(t))),
                    _ => None,
                })
            },
        )?;
    }
    Ok(())
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
    fn initials_of_names() {
        assert_eq!(initials("张三"), "zs");
        assert_eq!(initials("中共ABC科技有限公司支部"), "zgabckjyxgszb");
        assert_eq!(initials("党员000123"), "dy000123");
        assert_eq!(initials("（）·"), "");
        assert!(looks_like_initials("zs") && looks_like_initials("ZS"));
        assert!(
            !looks_like_initials("张") && !looks_like_initials("z1") && !looks_like_initials("")
        );
    }

    #[test]
    fn surnames_read_as_surnames_in_peoples_names() {
        let mut v = vec!["张三", "曾国藩", "陈一"];
        v.sort_by(|a, b| name_cmp(a, b));
        assert_eq!(v, ["陈一", "曾国藩", "张三"]);
        // Read as any text, 曾 is céng and comes before 陈 (chén).
        v.sort_by(|a, b| pinyin_cmp(a, b));
        assert_eq!(v, ["曾国藩", "陈一", "张三"]);
        assert_eq!(name_initials("单雄信"), "sxx");
        assert_eq!(initials("单雄信"), "dxx");
        // Only the first character is a surname: 曾 later in a name reads céng.
        assert_eq!(name_initials("张曾"), "zc");
        assert_eq!(for_column("member", "name"), (PINYIN_NAME, NAME_INITIALS));
        assert_eq!(for_column("unit", "name"), (PINYIN, INITIALS));
        assert_eq!(for_column("member", "job"), (PINYIN, INITIALS));
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
        let found: String = conn
            .query_row(
                "SELECT name FROM t WHERE pinyin_initials(name) LIKE '%ww%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, "王五");
    }
}
