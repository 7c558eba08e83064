//! Emerging terms and page furniture: when a source's page template gains a footer, the
//! footer's words are in every page of the week, yet they are not news.

mod common;

use polars::prelude::*;

const FOOTER: &str = "Mời quý độc giả quét mã QR để tải ứng dụng Làng Mới Online, đọc tin nóng và bình luận mỗi ngày trên điện thoại.";

const PLACES: [&str; 12] = [
    "Minh Tân",
    "Đông Hòa",
    "Tân Lập",
    "Hòa Bình",
    "Phước Sơn",
    "An Khê",
    "Bắc Sơn",
    "Pà Cò",
    "Lũng Cú",
    "Quảng Phú",
    "Yên Thế",
    "Cẩm Xuyên",
];
const EVENTS: [&str; 9] = [
    "khánh thành nhà văn hóa thôn",
    "tổ chức hội thi nấu cơm",
    "trồng thêm rừng phòng hộ",
    "sửa đường liên xóm",
    "mở lớp dạy bơi cho trẻ em",
    "trao bò giống cho hộ nghèo",
    "dọn vệ sinh kênh mương",
    "tập huấn nuôi ong lấy mật",
    "xây cầu dân sinh qua suối",
];

#[test]
fn a_new_footer_does_not_emerge_but_the_news_of_its_week_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = Vec::new();
    for (week, event) in EVENTS.iter().enumerate() {
        let last = week == EVENTS.len() - 1;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 1, 6).unwrap()
            + chrono::Duration::weeks(week as i64);
        for (i, place) in PLACES.iter().enumerate() {
            let mut body = format!("Xã {place} {event}, bà con rất phấn khởi.");
            if last && i < 5 {
                body.push_str(&format!(" Sạt lở đất đe dọa nhiều hộ dân ở {place}."));
            }
            // The new template: every page of the last week carries the footer.
            if last {
                body.push(' ');
                body.push_str(FOOTER);
            }
            lines.push(format!(
                r#"{{"id":"w{week}-{i}","title":"Xã {place} {event}","body":"{body}","source":"Báo Làng Mới","published_at":"{day}T08:00:00+07:00"}}"#
            ));
        }
    }
    let index = common::index_json_lines(dir.path(), &lines);

    let topics_path = dir.path().join("topics.toml");
    std::fs::write(
        &topics_path,
        "[[topic]]\nname = \"flooding\"\nlabel = \"Sạt lở\"\nquery = '\"sat lo\"'\n",
    )
    .unwrap();
    let topics = nhip_trends::load_topics(&topics_path).unwrap();
    let report = nhip_trends::weekly_topics(&index, &topics).unwrap();
    let table = nhip_trends::emerging::emerging_terms(&index, &report).unwrap();
    let last_week = table
        .lazy()
        .filter(col("week_start").eq(lit(report.weeks.last().unwrap().start)))
        .collect()
        .unwrap();
    let terms: Vec<String> = last_week
        .column("term")
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .flatten()
        .map(str::to_string)
        .collect();
    assert!(terms.contains(&"sạt lở".to_string()), "{terms:?}");
    let footer = FOOTER.to_lowercase();
    let from_footer: Vec<&String> = terms
        .iter()
        .filter(|t| footer.contains(t.as_str()))
        .collect();
    assert!(from_footer.is_empty(), "{from_footer:?} in {terms:?}");
}
