//! Documents written for the workspace tests: reports and press items over twelve ISO weeks,
//! several sources and units, a near-duplicate pair, an undated item, and a hostile page whose
//! title, body and url carry markup and script.

#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

pub const HOSTILE_ID: &str = "hostile-1";
pub const DUPLICATE_IDS: [&str; 2] = ["dup-a", "dup-b"];
pub const TOPICS: &str = r#"
[[topic]]
name = "flooding"
label = "Lũ lụt, sạt lở"
query = '"sat lo" OR "lu lut"'
group = "thiên tai"

[[topic]]
name = "corruption"
label = "Phòng, chống tham nhũng"
query = '"tham nhung"'
"#;

const SOURCES: [&str; 3] = ["Báo Tỉnh Nhà", "Đài Phát thanh Tỉnh", "Cổng Thông tin Tỉnh"];
const UNITS: [&str; 3] = ["Xã Hòa Bình", "Phường Đông Thành", "Huyện Minh Sơn"];

fn line(out: &mut String, doc: serde_json::Value) {
    let _ = writeln!(out, "{doc}");
}

/// The fixture as JSON Lines.
pub fn documents() -> String {
    let mut out = String::new();
    // Twelve weeks from Monday 5 January 2026; flooding rises in the last weeks.
    for week in 0..12u32 {
        let day = 5 + 7 * week as i64;
        let date =
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Duration::days(day - 1);
        let floods = if week >= 9 { 6 } else { 1 };
        for n in 0..floods {
            let source = SOURCES[(week as usize + n) % 3];
            line(
                &mut out,
                serde_json::json!({
                    "id": format!("flood-{week}-{n}"),
                    "title": format!("Mưa lớn gây sạt lở đất tại điểm {n} tuần {week}"),
                    "body": format!("Sạt lở đất ở khu vực {n} làm hư hỏng đường giao thông. Chính quyền đã di dời {} hộ dân khỏi vùng nguy hiểm tuần {week}.", 10 + n),
                    "published_at": format!("{date}T08:{:02}:00+07:00", n),
                    "source": source,
                    "kind": "press",
                }),
            );
        }
        let unit = UNITS[week as usize % 3];
        line(
            &mut out,
            serde_json::json!({
                "id": format!("report-{week}"),
                "title": format!("Báo cáo tình hình tuần {week} của {unit}"),
                "body": format!("Người dân phản ánh tinh trang tham nhung trong cap phep xay dung tuần {week}. Đề nghị cơ quan chức năng xử lý dứt điểm vụ việc số {week}."),
                "published_at": format!("{date}T15:00:00+07:00"),
                "source": "Cộng tác viên",
                "kind": "report",
                "unit": unit,
            }),
        );
        line(
            &mut out,
            serde_json::json!({
                "id": format!("corruption-{week}"),
                "title": format!("Xét xử vụ án tham nhũng số {week}"),
                "body": format!("Tòa án tỉnh mở phiên xét xử vụ án tham nhũng đất đai liên quan đến {} bị cáo.", week + 2),
                "published_at": format!("{date}T10:00:00+07:00"),
                "source": SOURCES[week as usize % 3],
                "kind": "press",
            }),
        );
    }
    let story = "Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác phòng chống lụt bão năm 2025, khen thưởng 25 tập thể và 40 cá nhân có thành tích xuất sắc trong ứng phó thiên tai, đồng thời triển khai kế hoạch năm 2026 với nhiều giải pháp mới.";
    for (i, id) in DUPLICATE_IDS.iter().enumerate() {
        line(
            &mut out,
            serde_json::json!({
                "id": id,
                "title": "Tổng kết công tác phòng chống lụt bão",
                "body": format!("{story}{}", if i == 1 { " (Theo Báo Tỉnh Nhà)" } else { "" }),
                "published_at": format!("2026-02-1{}T09:00:00+07:00", i + 1),
                "source": SOURCES[i],
                "kind": "press",
            }),
        );
    }
    line(
        &mut out,
        serde_json::json!({
            "id": "undated-1",
            "title": "Ghi chép về sạt lở ven sông",
            "body": "Bài ghi chép không ghi ngày về tình trạng sạt lở ven sông.",
            "source": "Báo Tỉnh Nhà",
            "kind": "press",
        }),
    );
    line(
        &mut out,
        serde_json::json!({
            "id": HOSTILE_ID,
            "title": "<script>window.__pwned = 1</script>Tin sạt lở <img src=x onerror=\"window.__pwned = 2\">",
            "body": "Nội dung có <a href=\"javascript:window.__pwned=3\">liên kết độc</a> và <script>window.__pwned = 4</script> về sạt lở.\n<img src=x onerror=\"window.__pwned = 5\"> đoạn hai.",
            "published_at": "2026-03-20T09:00:00+07:00",
            "source": "Trang <b>lạ</b>",
            "kind": "press",
            "url": "javascript:window.__pwned=6",
        }),
    );
    out
}

/// Writes the fixture, the topics file and a pipeline file into `dir`; returns the pipeline.
pub fn write_pipeline(dir: &Path) -> std::path::PathBuf {
    std::fs::write(dir.join("docs.jsonl"), documents()).unwrap();
    std::fs::write(dir.join("topics.toml"), TOPICS).unwrap();
    let pipeline = dir.join("pipeline.toml");
    std::fs::write(
        &pipeline,
        "[[source]]\npath = \"docs.jsonl\"\n\n[index]\npath = \"out/index\"\n\n[trends]\ntopics = \"topics.toml\"\n\n[output]\ndir = \"out\"\n",
    )
    .unwrap();
    pipeline
}
