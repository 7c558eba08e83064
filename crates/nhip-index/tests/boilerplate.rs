//! A source whose pages all carry the same footer sentence: the footer stays searchable but is
//! left out of the word fields (which emerging terms count) and of story fingerprints, also
//! when it is recognised only after some pages were indexed, and the rule can be changed.

use nhip_index::NhipIndex;
use nhip_ingest::{ingest_paths, IngestOptions};
use nhip_text::BoilerplateRule;

const FOOTER: &str = "Mời quý độc giả quét mã QR để tải ứng dụng Làng Mới Online, đọc tin nóng và bình luận mỗi ngày trên điện thoại.";

/// Short news of a commune, each in its own words.
const NEWS: [&str; 12] = [
    "Đê sông Lam ở xã Minh Tân bị sạt một đoạn dài.",
    "Giá lúa giống vụ xuân tăng mạnh tại chợ huyện.",
    "Trường tiểu học Đông Hòa khánh thành phòng máy tính mới.",
    "Nông dân Tân Lập thu hoạch cam sớm hơn mọi năm.",
    "Trạm y tế Hòa Bình tiêm vắc xin sởi cho trẻ nhỏ.",
    "Cầu treo Phước Sơn xuống cấp, người dân lo lắng.",
    "Hợp tác xã An Khê ký hợp đồng bao tiêu chè búp.",
    "Thôn Bắc Sơn hoàn thành đường bê tông liên xóm.",
    "Lũ quét cuốn trôi hai cây cầu tạm ở bản Pà Cò.",
    "Chợ phiên Lũng Cú đông vui dịp cuối tuần qua.",
    "Đội văn nghệ xã Quảng Phú đoạt giải nhất hội diễn.",
    "Điện lực huyện thay mới trạm biến áp cho ba thôn.",
];

fn page(id: &str, source: &str, news: &str, footer: bool) -> String {
    let body = if footer {
        format!("{news} {FOOTER}")
    } else {
        news.to_string()
    };
    let title: Vec<&str> = news.split(' ').take(5).collect();
    let title = title.join(" ");
    format!(
        r#"{{"id":"{id}","title":"{title}","body":"{body}","source":"{source}","published_at":"2026-03-02T08:00:00+07:00"}}"#
    )
}

fn write(index: &NhipIndex, dir: &std::path::Path, name: &str, lines: &[String]) -> usize {
    let input = dir.join(name);
    std::fs::write(&input, lines.join("\n")).unwrap();
    let batch = ingest_paths(&[input], &IngestOptions::default());
    assert!(batch.rejects.is_empty(), "{:?}", batch.rejects);
    index.write(&batch.documents).unwrap().boilerplate_rewritten
}

/// Ids of the documents whose word field holds `word` (what emerging terms count).
fn with_word(index: &NhipIndex, word: &str) -> Vec<String> {
    let mut addresses = Vec::new();
    index
        .for_each_word(|w, docs| {
            if w == word {
                addresses.extend_from_slice(docs);
            }
        })
        .unwrap();
    let mut ids: Vec<String> = addresses
        .into_iter()
        .map(|a| index.load(a).unwrap().id)
        .collect();
    ids.sort();
    ids
}

fn story(index: &NhipIndex, id: &str) -> String {
    index.get(id).unwrap().unwrap().story.unwrap()
}

#[test]
fn a_footer_is_searchable_but_not_counted_nor_shingled() {
    let dir = tempfile::tempdir().unwrap();
    let index = NhipIndex::open_or_create(&dir.path().join("index")).unwrap();
    let mut lines: Vec<String> = NEWS
        .iter()
        .enumerate()
        .map(|(i, news)| page(&format!("a{i:02}"), "Báo Làng Mới", news, true))
        .collect();
    // Another source carries the same sentence in fewer documents than the rule asks.
    for (i, news) in NEWS.iter().take(3).enumerate() {
        let news = format!("{news} Tin do Trang Khác đưa lại.");
        lines.push(page(&format!("b{i}"), "Trang Khác", &news, true));
    }
    // The sentence becomes boilerplate at the tenth page; the nine written before it are
    // written again when the run finishes.
    assert_eq!(write(&index, dir.path(), "pages.jsonl", &lines), 9);

    let summaries = index.boilerplate_summaries().unwrap();
    assert_eq!(summaries.len(), 1);
    assert_eq!(
        summaries[0].to_string(),
        "boilerplate: 1 sentence from Báo Làng Mới, 12 documents"
    );
    assert_eq!(summaries[0].sentences, [(FOOTER.to_string(), 12)]);

    // Searchable as they are, in every page of both sources.
    let found = index
        .search("\"ứng dụng Làng Mới\"", &Default::default())
        .unwrap();
    assert_eq!(found.total, 15);
    // Counted only where it is not boilerplate.
    assert_eq!(with_word(&index, "ứng_dụng"), ["b0", "b1", "b2"]);
    // The news themselves are counted everywhere.
    assert_eq!(with_word(&index, "sạt").len(), 2);

    // Stories: the other source's pages are mostly footer, so they pass for copies of each
    // other; this source's pages, fingerprinted without it, are each their own story.
    assert_eq!(story(&index, "b0"), story(&index, "b1"));
    let mut stories: Vec<String> = (0..12)
        .map(|i| story(&index, &format!("a{i:02}")))
        .collect();
    stories.sort();
    stories.dedup();
    assert_eq!(stories.len(), 12);
}

#[test]
fn a_footer_recognised_after_pages_were_indexed_and_a_changed_rule() {
    let dir = tempfile::tempdir().unwrap();
    let index = NhipIndex::open_or_create(&dir.path().join("index")).unwrap();
    let lines: Vec<String> = NEWS
        .iter()
        .enumerate()
        .map(|(i, news)| page(&format!("a{i:02}"), "Báo Làng Mới", news, true))
        .collect();
    // Six pages: fewer than the rule's ten, nothing is boilerplate yet.
    assert_eq!(write(&index, dir.path(), "first.jsonl", &lines[..6]), 0);
    assert!(index.boilerplate_summaries().unwrap().is_empty());
    assert_eq!(with_word(&index, "ứng_dụng").len(), 6);

    // Six more, in a later run: the sentence is now in twelve pages, and the pages written
    // before are brought in line with it.
    assert_eq!(write(&index, dir.path(), "second.jsonl", &lines[6..]), 12);
    assert_eq!(index.num_docs(), 12);
    assert_eq!(index.boilerplate_summaries().unwrap()[0].documents, 12);
    assert!(with_word(&index, "ứng_dụng").is_empty());
    assert_eq!(with_word(&index, "sạt").len(), 1);

    // Nothing changed, nothing rewritten.
    assert_eq!(write(&index, dir.path(), "second.jsonl", &lines[6..]), 0);

    // A stricter rule: twelve documents are no longer enough, and the footer counts again.
    let strict = BoilerplateRule {
        min_documents: 20,
        ..Default::default()
    };
    let summary = index.session_with(Some(strict)).unwrap().finish().unwrap();
    assert_eq!(summary.boilerplate_rewritten, 12);
    assert_eq!(index.boilerplate_rule(), strict);
    assert!(index.boilerplate_summaries().unwrap().is_empty());
    assert_eq!(with_word(&index, "ứng_dụng").len(), 12);
    assert_eq!(index.num_docs(), 12);
}
