//! What real documents hold, segmented as a reader expects (texts written for these tests).

use nhip_text::Segmenter;

fn seg(text: &str) -> String {
    Segmenter::builtin().segment_line(text)
}

#[test]
fn names_and_all_caps_headlines() {
    assert_eq!(
        seg("Ông Nguyễn Văn Nam làm việc tại Hà Nội"),
        "Ông Nguyễn_Văn_Nam làm_việc tại Hà_Nội"
    );
    // An all-caps headline keeps every syllable and is still grouped into words.
    let caps = seg("UBND TỈNH TỔ CHỨC HỘI NGHỊ TRIỂN KHAI KẾ HOẠCH");
    assert_eq!(
        caps.replace('_', " "),
        "UBND TỈNH TỔ CHỨC HỘI NGHỊ TRIỂN KHAI KẾ HOẠCH"
    );
    assert!(
        caps.contains("HỘI_NGHỊ") && caps.contains("KẾ_HOẠCH"),
        "{caps}"
    );
}

#[test]
fn numbers_dates_and_abbreviations() {
    assert_eq!(
        seg("Chiều 24-7, giai đoạn 2021-2025 có 386 hộ nhận 1.250.000 đồng tại TP. Huế."),
        "Chiều 24-7 , giai_đoạn 2021-2025 có 386 hộ nhận 1.250.000 đồng tại TP. Huế ."
    );
    assert_eq!(
        seg("ngày 21/1/2026 và tháng 7/2025"),
        "ngày 21/1/2026 và tháng 7/2025"
    );
}

#[test]
fn urls_emails_and_english() {
    assert_eq!(
        seg("Xem https://baotinhnha.example/tin/a?id=1 hoặc viết cho ctv@tinh.gov.vn"),
        "Xem https://baotinhnha.example/tin/a?id=1 hoặc viết cho ctv@tinh.gov.vn"
    );
    let mixed = seg("Hội thảo về smart city and digital transformation");
    assert!(
        mixed.ends_with("smart city and digital transformation"),
        "{mixed}"
    );
}

#[test]
fn text_typed_without_diacritics() {
    assert_eq!(
        seg("Nguoi dan phan anh tinh trang ngap ung keo dai"),
        "Nguoi dan phan_anh tinh_trang ngap_ung keo_dai"
    );
}

#[test]
fn long_documents_keep_offsets() {
    let paragraph = "Cộng tác viên báo cáo tình hình dư luận xã hội tại địa phương. ";
    let text = paragraph.repeat(20_000);
    let segmented = Segmenter::builtin().segment(&text);
    assert_eq!(segmented.words.len(), 20_000 * 8);
    for word in segmented.words.iter().step_by(997) {
        assert_eq!(&text[word.start..word.end], word.text);
    }
}
