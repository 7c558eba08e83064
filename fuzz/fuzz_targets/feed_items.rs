#![no_main]
//! An RSS feed that is always well-formed, with arbitrary channel and item fields (escaped as a
//! feed escapes them): the item handling, HTML-in-description and dates get the mutations.
include!("common.rs");

#[derive(arbitrary::Arbitrary, Debug)]
struct Item {
    title: String,
    link: String,
    description: String,
    pub_date: String,
    guid: String,
}

#[derive(arbitrary::Arbitrary, Debug)]
struct Feed {
    title: String,
    items: Vec<Item>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

libfuzzer_sys::fuzz_target!(|feed: Feed| {
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>{}</title>",
        escape(&feed.title)
    );
    for item in &feed.items {
        xml.push_str(&format!(
            "<item><title>{}</title><link>{}</link><description>{}</description><pubDate>{}</pubDate><guid>{}</guid></item>",
            escape(&item.title),
            escape(&item.link),
            escape(&item.description),
            escape(&item.pub_date),
            escape(&item.guid)
        ));
    }
    xml.push_str("</channel></rss>");
    read_and_finish("tin.rss", nhip_ingest::Format::Feed, xml.as_bytes());
});
