//! `nhip terms` from our own fixtures: what is proposed, what is known, and a source whose
//! pages all carry the same footer sentence.

use nhip_text::{
    propose_terms, strip_boilerplate, BoilerplateRule, Known, ProposeOptions, Segmenter,
};

/// Reports of a commune: a weather term and a local group the segmenter splits, a place name
/// the model already keeps whole, dictionary words, and everyday filler.
fn reports() -> Vec<String> {
    let places = [
        "Minh Tân",
        "Đông Hòa",
        "Tân Lập",
        "Hòa Bình",
        "Phước Sơn",
        "An Khê",
    ];
    let helps = [
        "giúp",
        "cùng",
        "đưa",
        "dựng nhà cho",
        "sửa cầu cho",
        "hỗ trợ",
    ];
    let mut texts = Vec::new();
    for (i, (place, help)) in places.iter().zip(helps).enumerate() {
        texts.push(format!(
            "Đợt rét đậm kéo dài ở xã {place}, trâu bò được che chắn. Rét đậm làm chết {i} con bê."
        ));
        texts.push(format!(
            "Tổ tự quản thôn {place} kiểm tra đường làng. Tổ tự quản nhắc người dân dọn vệ sinh."
        ));
        texts.push(format!(
            "Đội xung kích Phú Lộc {help} bà con xã {place}, người dân rất vui."
        ));
        texts.push(format!(
            "Cán bộ xã {place} hỗ trợ người già, trẻ em đến trường đúng giờ."
        ));
    }
    texts
}

#[test]
fn proposes_new_terms_with_an_example_and_marks_known_ones() {
    let texts = reports();
    let found = propose_terms(&texts, Segmenter::builtin(), &ProposeOptions::default());
    let terms: Vec<&str> = found.iter().map(|c| c.term.as_str()).collect();
    assert!(terms.contains(&"rét đậm"), "{terms:?}");
    assert!(terms.contains(&"tổ tự quản"), "{terms:?}");
    for c in &found {
        assert_eq!(c.known, Known::New);
        let example = c.example.to_lowercase();
        assert!(c.term.split(' ').all(|s| example.contains(s)), "{c:?}");
    }
    // The model keeps `Phú Lộc` whole already and the dictionary holds `hỗ trợ`: a word list
    // would change nothing, so they are only listed, marked, when asked for.
    assert!(
        !terms.contains(&"phú lộc") && !terms.contains(&"hỗ trợ"),
        "{terms:?}"
    );
    let all = propose_terms(
        &texts,
        Segmenter::builtin(),
        &ProposeOptions {
            all: true,
            ..Default::default()
        },
    );
    let known = |term: &str| all.iter().find(|c| c.term == term).map(|c| c.known);
    assert_eq!(known("phú lộc"), Some(Known::Model));
    assert_eq!(known("hỗ trợ"), Some(Known::Dictionary));
    assert_eq!(known("rét đậm"), Some(Known::New));
    assert!(found.windows(2).all(|w| w[0].rank >= w[1].rank));
}

#[test]
fn a_footer_on_every_page_of_a_source_is_not_proposed() {
    let footer = "Quét mã QR để tải ứng dụng Làng Mới Online, nhận tin nóng mỗi ngày.";
    let mut documents_text = Vec::new();
    for (i, text) in reports().into_iter().enumerate() {
        // Every page of `Báo Làng Mới` carries the footer; another source has it once.
        let source = if i % 4 == 3 {
            "Trang Khác"
        } else {
            "Báo Làng Mới"
        };
        let text = if source == "Trang Khác" && i > 3 {
            text
        } else {
            format!("{text}\n{footer}")
        };
        documents_text.push((source, text));
    }
    let raw: Vec<String> = documents_text.iter().map(|(_, t)| t.clone()).collect();
    let from_footer = |terms: &[nhip_text::Candidate]| -> Vec<String> {
        terms
            .iter()
            .filter(|c| footer.to_lowercase().contains(&c.term))
            .map(|c| c.term.clone())
            .collect()
    };
    let options = ProposeOptions::default();
    let before = propose_terms(&raw, Segmenter::builtin(), &options);
    assert!(!from_footer(&before).is_empty(), "{before:?}");

    let documents: Vec<(&str, Vec<&str>)> = documents_text
        .iter()
        .map(|(source, text)| (*source, vec![text.as_str()]))
        .collect();
    let (stripped, summaries) = strip_boilerplate(&documents, BoilerplateRule::default());
    let texts: Vec<String> = stripped.into_iter().map(|t| t.join("\n")).collect();
    let after = propose_terms(&texts, Segmenter::builtin(), &options);
    assert_eq!(from_footer(&after), Vec::<String>::new());
    assert!(after.iter().any(|c| c.term == "rét đậm"));
    // Listed once, with the source and how many documents carry it.
    assert_eq!(summaries.len(), 1);
    assert_eq!(
        summaries[0].to_string(),
        "boilerplate: 1 sentence from Báo Làng Mới, 18 documents"
    );
    assert_eq!(summaries[0].sentences, [(footer.to_string(), 18)]);
    // The other source's copy is below the rule's count: its text is kept.
    assert!(texts[3].contains("Quét mã QR"));
}
