//! Normalising header text so that 「 姓　名 」, 「姓名\n」, 「姓 名」 and 「姓名」 all match, and 繁體
//! headers match their 简体 aliases.

use crate::model::names::half_width;

/// 繁體 → 简体 for characters that occur in ledger headers. Headers only: a short table is
/// enough and avoids a dictionary dependency.
const TRAD_SIMP: &[(char, char)] = &[
    ('黨', '党'),
    ('員', '员'),
    ('組', '组'),
    ('織', '织'),
    ('號', '号'),
    ('碼', '码'),
    ('證', '证'),
    ('單', '单'),
    ('電', '电'),
    ('話', '话'),
    ('間', '间'),
    ('時', '时'),
    ('類', '类'),
    ('別', '别'),
    ('稱', '称'),
    ('學', '学'),
    ('歷', '历'),
    ('態', '态'),
    ('轉', '转'),
    ('費', '费'),
    ('數', '数'),
    ('會', '会'),
    ('議', '议'),
    ('點', '点'),
    ('記', '记'),
    ('錄', '录'),
    ('實', '实'),
    ('應', '应'),
    ('內', '内'),
    ('額', '额'),
    ('務', '务'),
    ('職', '职'),
    ('業', '业'),
    ('書', '书'),
    ('屬', '属'),
    ('區', '区'),
    ('鄉', '乡'),
    ('鎮', '镇'),
    ('縣', '县'),
    ('動', '动'),
    ('聯', '联'),
    ('繫', '系'),
    ('係', '系'),
    ('為', '为'),
    ('與', '与'),
    ('無', '无'),
    ('從', '从'),
    ('規', '规'),
    ('產', '产'),
    ('機', '机'),
    ('構', '构'),
    ('導', '导'),
    ('訪', '访'),
    ('檢', '检'),
    ('結', '结'),
    ('項', '项'),
    ('負', '负'),
    ('責', '责'),
    ('統', '统'),
    ('計', '计'),
    ('報', '报'),
    ('團', '团'),
    ('發', '发'),
    ('對', '对'),
    ('積', '积'),
    ('極', '极'),
    ('級', '级'),
    ('齡', '龄'),
    ('歲', '岁'),
    ('氣', '气'),
    ('貫', '贯'),
    ('歸', '归'),
    ('現', '现'),
    ('經', '经'),
    ('營', '营'),
    ('狀', '状'),
    ('況', '况'),
    ('設', '设'),
    ('備', '备'),
    ('註', '注'),
    ('協', '协'),
    ('資', '资'),
    ('料', '料'),
    ('標', '标'),
    ('準', '准'),
    ('檔', '档'),
    ('牌', '牌'),
    ('匾', '匾'),
    ('畫', '画'),
    ('像', '像'),
    ('欄', '栏'),
    ('開', '开'),
    ('徽', '徽'),
    ('章', '章'),
    ('視', '视'),
    ('聽', '听'),
    ('備', '备'),
    ('寫', '写'),
    ('範', '范'),
    ('傳', '传'),
    ('題', '题'),
    ('達', '达'),
    ('場', '场'),
    ('預', '预'),
    ('紀', '纪'),
    ('檢', '检'),
    ('異', '异'),
    ('舊', '旧'),
    ('新', '新'),
    ('總', '总'),
    ('辦', '办'),
    ('選', '选'),
    ('屆', '届'),
    ('長', '长'),
    ('歷', '历'),
    ('據', '据'),
    ('庫', '库'),
    ('戶', '户'),
    ('籍', '籍'),
    ('勞', '劳'),
    ('帶', '带'),
    ('頭', '头'),
    ('東', '东'),
    ('區', '区'),
    ('務', '务'),
    ('並', '并'),
    ('臨', '临'),
    ('駐', '驻'),
    ('獨', '独'),
    ('掛', '挂'),
    ('靠', '靠'),
    ('違', '违'),
    ('優', '优'),
];

fn simplify(c: char) -> char {
    TRAD_SIMP
        .iter()
        .find(|(t, _)| *t == c)
        .map_or(c, |(_, s)| *s)
}

/// The comparable form of a header: no spaces or line breaks anywhere, half-width, 简体,
/// lower-case, without a trailing required-marker (*) or colon.
pub fn header(raw: &str) -> String {
    let s: String = raw
        .chars()
        .map(half_width)
        .filter(|c| !c.is_whitespace())
        .map(simplify)
        .flat_map(char::to_lowercase)
        .collect();
    s.trim_start_matches('*')
        .trim_end_matches(['*', ':'])
        .to_string()
}

/// Full-width digits, Latin letters and the separators of dates and numbers made half-width;
/// Chinese punctuation such as （） and 、 is left as written.
fn half_width_alnum(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '．' | '－' | '／' | '＋' => {
            half_width(c)
        }
        '\u{3000}' => ' ',
        _ => c,
    }
}

/// Trimmed cell text with full-width digits and letters made half-width (people type 身份证号
/// and dates with a Chinese input method on).
pub fn value(raw: &str) -> String {
    let raw = raw.trim();
    // Nothing to map unless the text has a full-width form (U+FF01–FF5E: bytes EF BC/BD …)
    // or the ideographic space (U+3000: E3 80 80) — most cells: copy them as they are.
    if !raw.bytes().any(|b| b == 0xEF || b == 0xE3) {
        return raw.to_string();
    }
    // One allocation per cell: a bulk import converts millions of them.
    let mut out = String::with_capacity(raw.len());
    out.extend(raw.chars().map(half_width_alnum));
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_compare_equal() {
        for raw in ["姓名", " 姓　名 ", "姓\n名", "*姓名", "姓名：", "姓 名*"] {
            assert_eq!(header(raw), "姓名", "{raw:?}");
        }
        assert_eq!(header("公民身份號碼"), "公民身份号码");
        assert_eq!(header("所在黨組織（全稱）"), "所在党组织(全称)");
        assert_eq!(header("ID"), "id");
    }

    #[test]
    fn values_half_width() {
        assert_eq!(
            value(" ３３０１２３１９８８０５１２００１Ｘ "),
            "33012319880512001X"
        );
        assert_eq!(value("２０１９．７．１"), "2019.7.1");
        assert_eq!(value("张三（出差）、李四"), "张三（出差）、李四");
        // Interior ideographic spaces become plain ones; around the text they go.
        assert_eq!(value("\u{3000}张\u{3000}三\u{3000}"), "张 三");
        assert_eq!(value(" 〇 "), "〇");
        assert_eq!(value("ＡＢ\u{3000}"), "AB");
        // Whatever the path, the result is the char-by-char mapping, trimmed.
        for raw in [
            "abc",
            " 1990-01-01 ",
            "张三",
            "（一）",
            "３３０１",
            "〇一二",
            "a\u{3000}b",
        ] {
            let slow: String = raw.trim().chars().map(half_width_alnum).collect();
            assert_eq!(value(raw), slow.trim(), "{raw:?}");
        }
    }
}
