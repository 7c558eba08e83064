//! Language tagging with whatlang, plus the checks whatlang needs for Vietnamese.

use whatlang::{Detector, Lang};

/// Common Vietnamese syllables as typed without diacritics; whatlang reads such text as Latvian
/// or Tagalog, so we recognise it by these first.
const UNACCENTED_COMMON: &[&str] = &[
    "cua", "va", "cac", "nhung", "nguoi", "khong", "duoc", "trong", "cho", "voi", "da", "la",
    "mot", "co", "nay", "tai", "den", "thi", "nhieu", "dan", "ve", "tren", "cung", "viec", "nam",
    "ngay", "tinh", "huyen", "xa", "gia", "cao", "bao", "theo", "dang", "se", "phai",
];

fn is_vietnamese_letter(c: char) -> bool {
    matches!(c, 'đ' | 'Đ' | 'ă' | 'Ă' | 'ơ' | 'Ơ' | 'ư' | 'Ư')
        || (('\u{1EA0}'..='\u{1EF9}').contains(&c))
}

/// The ISO 639-3 code of the text's language (`vie`, `eng`, …), or `und` when unsure
/// (short text, unreliable detection).
///
/// ```
/// use nhip_ingest::detect_language;
/// assert_eq!(detect_language("Người dân phản ánh giá điện tăng cao trong tháng này"), "vie");
/// assert_eq!(detect_language("nguoi dan phan anh gia dien tang cao trong thang nay"), "vie");
/// assert_eq!(detect_language("ok"), "und");
/// ```
pub fn detect_language(text: &str) -> &'static str {
    // One pass; the Unicode table lookup only for letters outside ASCII and Vietnamese.
    let (mut letters, mut vietnamese) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii() {
            letters += usize::from(c.is_ascii_alphabetic());
        } else if is_vietnamese_letter(c) {
            letters += 1;
            vietnamese += 1;
        } else if c.is_alphabetic() {
            letters += 1;
        }
    }
    if letters < 20 {
        return "und";
    }
    if vietnamese * 50 >= letters {
        return Lang::Vie.code();
    }
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect();
    let common = words
        .iter()
        .filter(|w| UNACCENTED_COMMON.contains(&w.as_str()))
        .count();
    if words.len() >= 4 && common * 5 >= words.len() {
        return Lang::Vie.code();
    }
    let detector = Detector::with_allowlist(vec![
        Lang::Vie,
        Lang::Eng,
        Lang::Fra,
        Lang::Deu,
        Lang::Rus,
        Lang::Cmn,
        Lang::Jpn,
        Lang::Kor,
        Lang::Tha,
        Lang::Khm,
        Lang::Spa,
    ]);
    match detector.detect(text) {
        Some(info) if info.is_reliable() => info.lang().code(),
        _ => "und",
    }
}
