//! The look of the workbooks we write, as county offices hand tables out: a 方正小标宋 title
//! over a 填报单位 / 填报日期 row, a bold header on light grey, 宋体 10.5 in thin-bordered cells.
//! Shared by the template exports ([`super::export`]) and the annual report
//! ([`crate::report::annual`]), so both look the same.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder};

/// The row of a table's header: the title is row 0, 填报单位 and 填报日期 row 1.
pub(crate) const HEADER_ROW: u32 = 2;

/// The light grey behind headers (and a report's 合计 rows).
pub(crate) const SHADE: Color = Color::RGB(0xF2F2F2);

/// The tables' text: 宋体 10.5.
pub(crate) fn font(f: Format) -> Format {
    f.set_font_name("宋体").set_font_size(10.5)
}

/// A table cell: the tables' text in a thin border.
fn bordered() -> Format {
    font(Format::new()).set_border(FormatBorder::Thin)
}

pub(crate) struct Formats {
    /// 方正小标宋简体 18, bold, centred.
    pub(crate) title: Format,
    /// 填报单位, 填报日期: 宋体 11.
    pub(crate) info: Format,
    /// The same, right-aligned (填报日期 at the right edge).
    pub(crate) info_right: Format,
    /// Bold, wrapped, centred on grey.
    pub(crate) header: Format,
    /// Vertically centred.
    pub(crate) cell: Format,
    /// yyyy-mm-dd, centred.
    pub(crate) date: Format,
    /// 0.00.
    pub(crate) money: Format,
}

impl Formats {
    pub(crate) fn new() -> Self {
        let info = Format::new().set_font_name("宋体").set_font_size(11);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(18)
                .set_font_name("方正小标宋简体")
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            info_right: info.clone().set_align(FormatAlign::Right),
            info,
            header: bordered()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_background_color(SHADE),
            cell: bordered().set_align(FormatAlign::VerticalCenter),
            date: bordered()
                .set_num_format("yyyy-mm-dd")
                .set_align(FormatAlign::Center),
            money: bordered().set_num_format("0.00"),
        }
    }
}

/// A failure of the workbook writer, as the user sees it.
pub(crate) fn xerr(e: rust_xlsxwriter::XlsxError) -> crate::Error {
    crate::Error::BadFile(format!("写入 Excel 文件失败：{e}"))
}
