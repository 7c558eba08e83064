#!/usr/bin/env python3
"""Writes nhip's shipped sample corpus (press.jsonl and reports/*.txt) into this folder.

Every sentence here was written for nhip; no publisher's text is used. The output is
deterministic (fixed seed), so re-running it reproduces the committed files exactly:

    python3 data/sample/generate.py

The corpus covers 20 ISO weeks (2025-W45 .. 2026-W12, across the new year and Tết 2026) with
topics whose volume rises and falls, and the awkward cases a real office sees: reports typed
without diacritics, NFD text, tone-placement variants (hoà/hòa, thuỷ/thủy), exact duplicates,
one malformed JSON line, undated items, an English item and a timestamp given in UTC that
falls on a Monday in Hà Nội but a Sunday in UTC.
"""
import json
import os
import random
import unicodedata
from datetime import date, datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
VN = timezone(timedelta(hours=7))
FIRST_MONDAY = date(2025, 11, 3)
WEEKS = 20
rng = random.Random(2026)

PLACES = ["xã Minh Tân", "xã Hòa Bình", "phường Đông Thành", "thị trấn Phú Lộc", "xã Quảng Thủy",
          "xã Tân Lập", "phường Bắc Sơn", "xã Yên Hưng"]
DISTRICTS = ["huyện Đông Sơn", "huyện Phú Lộc", "thị xã Hương Thủy", "huyện Tân Kỳ"]
AGENCIES = ["Ban Quản lý dự án huyện Đông Sơn", "Chi cục Thuế khu vực Phú Lộc",
            "Trung tâm Phát triển quỹ đất huyện Tân Kỳ"]
PRESS_SOURCES = [("Báo Tỉnh Nhà", "baotinhnha"), ("Đài Phát thanh - Truyền hình Tỉnh", "ptth"),
                 ("Cổng Thông tin điện tử Tỉnh", "congtt"), ("Báo Thời Sự Mới", "thoisumoi")]
UNITS = ["Xã Minh Tân", "Phường Đông Thành", "Thị trấn Phú Lộc", "Xã Quảng Thủy",
         "Hội Nông dân huyện Đông Sơn", "Trường THPT Tân Kỳ", "Phường Bắc Sơn", "Xã Hòa Bình"]

# Press templates per topic: titles and body sentences.
PRESS = {
    "flooding": (
        ["Mưa lớn gây ngập úng tại {place}", "{District}: lũ lụt làm hư hỏng {num} ha lúa",
         "Sạt lở đất đe dọa {num} hộ dân ở {place}", "Khẩn trương khắc phục hậu quả lũ lụt tại {district}",
         "Nước lũ dâng cao, {num} hộ dân phải di dời"],
        ["Do ảnh hưởng của mưa lớn kéo dài, nhiều tuyến đường tại {place} bị ngập sâu, giao thông bị chia cắt.",
         "Chính quyền địa phương đã huy động lực lượng hỗ trợ người dân di dời tài sản đến nơi an toàn.",
         "Theo thống kê ban đầu, lũ lụt đã làm hư hỏng {num} ha lúa và hoa màu.",
         "Người dân mong muốn sớm được hỗ trợ lương thực, nước sạch sau đợt lũ.",
         "Cơ quan khí tượng cảnh báo nguy cơ sạt lở đất ở khu vực đồi núi trong những ngày tới."]),
    "land": (
        ["Tranh chấp đất đai kéo dài ở {place}", "Người dân {place} khiếu nại về việc thu hồi đất",
         "Đối thoại giải quyết tranh chấp đất đai tại {district}", "Chậm bồi thường giải phóng mặt bằng, dân bức xúc"],
        ["Nhiều hộ dân cho rằng mức bồi thường khi thu hồi đất chưa thỏa đáng.",
         "Vụ tranh chấp đất đai giữa các hộ gia đình đã kéo dài nhiều năm nhưng chưa được giải quyết dứt điểm.",
         "Ủy ban nhân dân {district} đã tổ chức đối thoại với người dân để làm rõ nguồn gốc thửa đất.",
         "Người dân đề nghị công khai quy hoạch và phương án bồi thường, hỗ trợ tái định cư."]),
    "prices": (
        ["Giá thực phẩm tăng mạnh trước Tết", "Giá xăng dầu điều chỉnh tăng, người dân lo chi tiêu",
         "Giá điện tăng khiến nhiều hộ gia đình lo lắng", "Chợ {place}: giá rau xanh, thịt lợn đồng loạt tăng"],
        ["Tại chợ {place}, giá thịt lợn đã tăng khoảng {num}.000 đồng mỗi kg so với tuần trước.",
         "Nhiều tiểu thương cho biết sức mua giảm vì giá cả tăng cao.",
         "Người dân mong cơ quan chức năng tăng cường kiểm tra, bình ổn giá cả thị trường.",
         "Hóa đơn tiền điện tháng này của nhiều hộ gia đình tăng đáng kể."]),
    "traffic": (
        ["Tai nạn giao thông nghiêm trọng trên quốc lộ 1 đoạn qua {district}",
         "Xe tải va chạm xe máy, {num} người bị thương", "Tai nạn giao thông tăng trong dịp cao điểm Tết",
         "Cần lắp đèn tín hiệu tại ngã tư {place}"],
        ["Vụ tai nạn giao thông xảy ra vào khoảng {hour} giờ sáng tại ngã tư {place}.",
         "Lực lượng cảnh sát giao thông đã có mặt phân luồng và điều tra nguyên nhân vụ việc.",
         "Người dân phản ánh đoạn đường này thiếu biển báo và đèn chiếu sáng.",
         "Nhiều người điều khiển phương tiện đã sử dụng rượu bia trước khi tham gia giao thông."]),
    "corruption": (
        ["Khởi tố vụ án tham nhũng tại {agency}", "Xét xử nguyên cán bộ địa chính nhận hối lộ",
         "Dư luận quan tâm kết quả xử lý các vụ tham nhũng", "Tỉnh đẩy mạnh phòng, chống tham nhũng, tiêu cực"],
        ["Cơ quan điều tra đã khởi tố vụ án, khởi tố bị can đối với {num} cán bộ liên quan đến sai phạm.",
         "Người dân đánh giá cao quyết tâm phòng, chống tham nhũng của tỉnh.",
         "Bị cáo bị cáo buộc nhận hối lộ để làm hồ sơ cấp giấy chứng nhận quyền sử dụng đất.",
         "Nhiều ý kiến đề nghị công khai kết quả xử lý để răn đe."]),
    "school_fees": (
        ["Phụ huynh băn khoăn về mức học phí mới", "Trường học ở {place} thu nhiều khoản ngoài học phí",
         "Tỉnh xem xét miễn, giảm học phí cho học sinh"],
        ["Nhiều phụ huynh cho rằng mức học phí và các khoản đóng góp đầu học kỳ là gánh nặng.",
         "Ngoài học phí, phụ huynh còn phải đóng tiền quỹ lớp, tiền học thêm và tiền đồng phục.",
         "Sở Giáo dục và Đào tạo cho biết sẽ rà soát các khoản thu trong nhà trường."]),
    "health": (
        ["Số ca sốt xuất huyết tại {district} tăng", "Bệnh viện tuyến huyện quá tải vì bệnh nhân cúm",
         "Người dân phản ánh thiếu thuốc bảo hiểm y tế", "Phun thuốc diệt muỗi phòng chống dịch bệnh tại {place}"],
        ["Trung tâm Y tế {district} ghi nhận {num} ca sốt xuất huyết trong tuần.",
         "Bệnh viện phải kê thêm giường để tiếp nhận bệnh nhân cúm.",
         "Người dân phản ánh tình trạng thiếu thuốc khi khám bệnh bằng thẻ bảo hiểm y tế.",
         "Ngành y tế khuyến cáo người dân chủ động phòng chống dịch bệnh, tiêm vắc xin đầy đủ."]),
    "general": (
        ["Lễ hội văn hóa truyền thống thu hút đông đảo du khách", "Khánh thành nhà văn hóa thôn ở {place}",
         "Giải bóng đá thiếu niên tỉnh khai mạc", "Nông dân {district} trúng mùa cam",
         "Hội nghị sơ kết công tác chuyển đổi số"],
        ["Sự kiện có sự tham gia của đông đảo người dân và du khách.",
         "Đây là hoạt động thiết thực nhằm nâng cao đời sống tinh thần của nhân dân.",
         "Năm nay năng suất đạt khá, giá bán ổn định nên bà con phấn khởi.",
         "Các đơn vị đã chia sẻ kinh nghiệm triển khai dịch vụ công trực tuyến."]),
}

# What collaborators write about each topic in their weekly reports.
REPORT = {
    "flooding": ["Nhân dân lo lắng về lũ lụt và tình trạng ngập úng kéo dài, đề nghị sớm nạo vét kênh mương.",
                 "Một số hộ ở vùng trũng phải di dời do nước lũ dâng cao; bà con mong được hỗ trợ giống cây trồng."],
    "land": ["Dư luận quan tâm vụ tranh chấp đất đai giữa hai hộ dân chưa được giải quyết dứt điểm.",
             "Một số hộ chưa đồng tình với phương án bồi thường khi thu hồi đất làm đường."],
    "prices": ["Giá cả các mặt hàng thiết yếu tăng, nhất là thịt lợn và rau xanh, ảnh hưởng đến đời sống người lao động.",
               "Người dân phàn nàn giá điện tăng trong khi thu nhập không đổi."],
    "traffic": ["Người dân bức xúc về tai nạn giao thông tại ngã ba gần chợ, đề nghị lắp gờ giảm tốc.",
                "Tình trạng học sinh đi xe máy không đội mũ bảo hiểm tiềm ẩn nguy cơ tai nạn giao thông."],
    "corruption": ["Cán bộ, đảng viên và nhân dân đồng tình với việc xử lý nghiêm các vụ tham nhũng.",
                   "Có ý kiến cho rằng cần công khai tài sản của cán bộ để phòng, chống tham nhũng hiệu quả hơn."],
    "school_fees": ["Phụ huynh băn khoăn về mức học phí học kỳ II và các khoản thu đầu năm.",
                    "Nhiều gia đình khó khăn mong được miễn, giảm học phí cho con em."],
    "health": ["Người dân lo ngại số ca sốt xuất huyết tăng, đề nghị phun thuốc diệt muỗi.",
               "Bệnh nhân phản ánh thời gian chờ khám tại trạm y tế kéo dài."],
}

# Press items per topic per week (index 0 = week of 2025-11-03). Tết 2026 falls in week 15.
VOLUME = {
    "flooding":    [9, 8, 7, 5, 3, 2, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1],
    "land":        [2, 2, 3, 2, 2, 3, 5, 6, 3, 2, 2, 2, 3, 2, 1, 1, 2, 3, 2, 2],
    "prices":      [1, 1, 1, 2, 1, 2, 2, 2, 3, 3, 4, 4, 5, 7, 8, 4, 2, 2, 1, 2],
    "traffic":     [2, 2, 1, 2, 2, 2, 2, 3, 3, 2, 2, 2, 2, 3, 4, 7, 6, 2, 2, 2],
    "corruption":  [1, 1, 1, 2, 1, 1, 1, 2, 2, 6, 7, 3, 2, 1, 1, 1, 1, 2, 1, 1],
    "school_fees": [0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 3, 5, 6, 4],
    "health":      [5, 4, 4, 3, 2, 2, 1, 2, 2, 3, 4, 4, 3, 2, 1, 1, 1, 1, 1, 1],
    "general":     [5, 6, 5, 6, 5, 6, 5, 6, 6, 5, 6, 5, 6, 5, 6, 6, 5, 6, 5, 6],
}

# Tone-placement variants a careless or "new style" typist produces.
NEW_STYLE = {"Hòa": "Hoà", "hòa": "hoà", "Thủy": "Thuỷ", "thủy": "thuỷ", "Hóa": "Hoá", "hóa": "hoá",
             "thỏa": "thoả", "Ủy": "Uỷ"}


def strip_diacritics(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def new_style(text):
    for old, new in NEW_STYLE.items():
        text = text.replace(old, new)
    return text


def fill(template):
    district = rng.choice(DISTRICTS)
    return template.format(place=rng.choice(PLACES), district=district, District=district[0].upper() + district[1:],
                           num=rng.randint(2, 40), hour=rng.randint(5, 11), agency=rng.choice(AGENCIES))


def week_time(week, day=None, hour=None):
    day = rng.randint(0, 6) if day is None else day
    hour = rng.randint(6, 21) if hour is None else hour
    d = FIRST_MONDAY + timedelta(weeks=week, days=day)
    return datetime(d.year, d.month, d.day, hour, rng.randint(0, 59), tzinfo=VN)


def press_items():
    items = []
    seen = set()
    for week in range(WEEKS):
        n = 0
        for topic, volumes in VOLUME.items():
            titles, sentences = PRESS[topic]
            for _ in range(volumes[week]):
                n += 1
                name, slug = rng.choice(PRESS_SOURCES)
                # Templates can repeat a text by chance; only the planned duplicates may repeat.
                while True:
                    title = fill(rng.choice(titles))
                    body = " ".join(fill(s) for s in rng.sample(sentences, k=rng.randint(2, len(sentences))))
                    if (title, body) not in seen:
                        seen.add((title, body))
                        break
                year, iso_week, _ = (FIRST_MONDAY + timedelta(weeks=week)).isocalendar()
                item_id = f"{slug}-{year}w{iso_week:02d}-{n:03d}"
                items.append({
                    "id": item_id, "title": title, "body": body,
                    "published_at": week_time(week).isoformat(), "source": name, "kind": "press",
                    "url": f"https://{slug}.example/tin/{item_id}",
                })
    return items


def add_awkward_cases(items):
    # Tone-placement variants in some items.
    for item in rng.sample(items, 25):
        item["title"], item["body"] = new_style(item["title"]), new_style(item["body"])
    # NFD text, as some editors and PDF exports produce.
    for item in rng.sample(items, 6):
        item["title"] = unicodedata.normalize("NFD", item["title"])
        item["body"] = unicodedata.normalize("NFD", item["body"])
    # Undated items: searchable, but left out of the weekly tables.
    for item in rng.sample(items, 3):
        del item["published_at"]
    extra = [
        # Published Monday 01:30 in Hà Nội, given in UTC (Sunday 18:30).
        {"id": "ptth-tz-boundary", "title": "Tai nạn giao thông trên cầu Đông Sơn rạng sáng thứ Hai",
         "body": "Vụ tai nạn giao thông xảy ra lúc 1 giờ 30 sáng, hai người bị thương nhẹ.",
         "published_at": "2026-01-04T18:30:00Z", "source": "Đài Phát thanh - Truyền hình Tỉnh", "kind": "press",
         "url": "https://ptth.example/tin/tz-boundary"},
        {"id": "congtt-en-001", "title": "Provincial trade fair opens with two hundred booths",
         "body": "The annual trade fair opened on Saturday with local producers showing rice, coffee and handicrafts.",
         "published_at": "2026-01-10T09:00:00+07:00", "source": "Cổng Thông tin điện tử Tỉnh", "kind": "press",
         "url": "https://congtt.example/en/trade-fair"},
    ]
    items.extend(extra)
    items.sort(key=lambda i: i.get("published_at", "9999"))
    # Exact duplicates: two lines repeated verbatim, one text re-published under another id.
    lines = [json.dumps(i, ensure_ascii=False) for i in items]
    out = []
    for idx, line in enumerate(lines):
        out.append(line)
        if idx in (40, 200):
            out.append(line)
        if idx == 120:
            copy = dict(items[idx], id=items[idx]["id"] + "-copy", url=items[idx]["url"] + "?copy")
            out.append(json.dumps(copy, ensure_ascii=False))
        if idx == 150:
            out.append('{"id": "broken-001", "title": "Dòng hỏng do xuất dữ liệu bị cắt", "body": "Nội dung')
    return out


def reports():
    files = []
    count = 0
    for week in range(WEEKS):
        year, iso_week, _ = (FIRST_MONDAY + timedelta(weeks=week)).isocalendar()
        units = rng.sample(UNITS, 3 + (week % 3 == 0))
        for unit in units:
            count += 1
            weights = {t: VOLUME[t][week] + 0.3 for t in REPORT}
            topics = []
            while len(topics) < rng.randint(2, 3):
                pick = rng.choices(list(weights), weights=list(weights.values()))[0]
                if pick not in topics:
                    topics.append(pick)
            paragraphs = [f"Trong tuần, dư luận tại {unit[0].lower() + unit[1:] if unit.startswith(('Xã', 'Phường', 'Thị')) else unit} tập trung vào các vấn đề sau:"]
            paragraphs += [f"- {rng.choice(REPORT[t])}" for t in topics]
            paragraphs.append("Đề xuất: các cơ quan chức năng tiếp tục nắm bắt tình hình, giải đáp kịp thời kiến nghị của nhân dân.")
            day = week_time(week, day=4, hour=16)
            title = f"Báo cáo dư luận xã hội tuần {iso_week}/{year} - {unit}"
            header = [f"title: {title}", f"date: {day.strftime('%Y-%m-%d %H:%M')}",
                      "source: Cộng tác viên DLXH", f"unit: {unit}", "kind: report"]
            text = "\n".join(header) + "\n\n" + "\n".join(paragraphs) + "\n"
            if count % 17 == 5:
                text = strip_diacritics(text)  # typed on a keyboard without Vietnamese input
            files.append((f"{year}-w{iso_week:02d}-{count:03d}.txt", text))
    # A report with front matter and no unit, and one without any header.
    files.append(("2026-w03-front-matter.md",
                  "---\ntitle: Ghi nhận nhanh về giá cả và học phí\ndate: 2026-01-16\nkind: report\nsource: Cộng tác viên DLXH\n---\n"
                  "Người dân phàn nàn giá điện tăng; phụ huynh hỏi về mức học phí học kỳ II.\n"))
    files.append(("khong-tieu-de.txt", "Ghi chép không ghi ngày\n\nMột số ý kiến về tai nạn giao thông ở ngã tư chợ.\n"))
    return files


def main():
    lines = add_awkward_cases(press_items())
    with open(os.path.join(HERE, "press.jsonl"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    folder = os.path.join(HERE, "reports")
    os.makedirs(folder, exist_ok=True)
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    for name, text in reports():
        with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main()
