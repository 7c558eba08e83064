"""Independent recount of weekly topic counts, from README.md's matching rules alone.

Reads JSON Lines documents and a topics file of OR-ed "phrases" (with optional -"phrase"
exclusions), scans every document with its own tokeniser, tone canonicalisation and week
arithmetic (no nhip code), and compares with nhip's weekly_topics.csv for every topic and week.

    python3 benches/check_topics.py DOCS.jsonl TOPICS.toml WEEKLY_TOPICS.csv
"""
import csv, datetime, json, re, sys, tomllib, unicodedata

TONES = {'\u0300', '\u0301', '\u0303', '\u0309', '\u0323'}
VOWELS = set('aăâeêioôơuưy')
MODIFIED = set('ăâêôơư')
ABBREVIATIONS = {'tp', 'q', 'p', 'tt', 'ts', 'ths', 'gs', 'pgs', 'bs', 'ks', 'tx', 'btc'}
TOKEN = re.compile(r'\d+(?:[.,/:\-]\d+)*(?![^\W_])|[^\W_]+', re.U)


def canonical(syllable):
    """Moves the tone mark where README's style puts it (hòa, thủy, quốc, người)."""
    decomposed = unicodedata.normalize('NFD', syllable)
    tones = [c for c in decomposed if c in TONES]
    if len(tones) != 1:
        return syllable
    letters = list(unicodedata.normalize('NFC', ''.join(c for c in decomposed if c not in TONES)))
    lower = [c.lower() for c in letters]
    n = len(lower)
    if n > 2 and lower[2] in VOWELS and (lower[:2] == ['q', 'u'] or lower[:2] == ['g', 'i']):
        first = 2
    else:
        first = next((i for i, c in enumerate(lower) if c in VOWELS), None)
        if first is None:
            return syllable
    end = first
    while end < n and lower[end] in VOWELS:
        end += 1
    if any(c in VOWELS or not c.isalpha() for c in lower[end:]):
        return syllable
    nucleus = lower[first:end]
    modified = [i for i, c in enumerate(nucleus) if c in MODIFIED]
    if modified:
        at = modified[-1]
    elif end < n:
        at = len(nucleus) - 1
    elif len(nucleus) <= 2:
        at = 0
    else:
        at = 1
    letters[first + at] += tones[0]
    return unicodedata.normalize('NFC', ''.join(letters))


def fold(text):
    text = text.replace('đ', 'd').replace('Đ', 'D')
    return ''.join(c for c in unicodedata.normalize('NFD', text) if unicodedata.category(c) != 'Mn').lower()


def sentences(text):
    """Splits at sentence ends and line breaks, keeping number and abbreviation dots."""
    text = unicodedata.normalize('NFC', text)
    out, start = [], 0
    for m in re.finditer(r'\n|[!?;…]+|\.+', text):
        if m.group() == '.':
            before = re.search(r'([^\W_]+)$', text[:m.start()])
            after = text[m.end():]
            if before and before.group(1)[-1].isdigit() and after[:1].isdigit():
                continue  # inside a number
            word = before.group(1) if before else ''
            if word and (len(word) == 1 and word.isupper() or word.lower() in ABBREVIATIONS) \
                    and after[:1].isspace() and after.strip():
                continue  # abbreviation
        out.append(text[start:m.start()])
        start = m.end()
    out.append(text[start:])
    return out


def syllables(text, accent_free):
    result = []
    for sentence in sentences(text):
        tokens = [canonical(t).lower() for t in TOKEN.findall(sentence)]
        result.append([fold(t) for t in tokens] if accent_free else tokens)
    return result


def has_diacritics(text):
    return fold(text) != text.lower()


def parse_query(query):
    include, exclude = [], []
    for part in re.findall(r'(-?)"([^"]+)"', query):
        (exclude if part[0] else include).append(part[1])
    return include, exclude


def phrase_words(phrase):
    accent_free = not has_diacritics(phrase)
    return accent_free, tuple(w for s in syllables(phrase, accent_free) for w in s)


def phrase_in(doc, phrase):
    """doc: {accent_free: [sentences of both fields]}, tokenised once per mode."""
    accent_free, words = phrase
    n = len(words)
    return any(tuple(s[i:i + n]) == words for s in doc[accent_free] for i in range(len(s) - n + 1))


def main():
    docs_path, topics_path, table_path = sys.argv[1:4]
    topics = tomllib.load(open(topics_path, 'rb'))['topic']
    queries = []
    for topic in topics:
        include, exclude = parse_query(topic['query'])
        queries.append((topic['name'], [phrase_words(p) for p in include], [phrase_words(p) for p in exclude]))
    vn = datetime.timezone(datetime.timedelta(hours=7))
    expected = {}
    seen = set()
    for line in open(docs_path, encoding='utf-8'):
        d = json.loads(line)
        title, body = d.get('title') or '', d.get('body') or ''
        key = (unicodedata.normalize('NFC', title.strip()), unicodedata.normalize('NFC', body.strip()))
        if key in seen or not d.get('published_at'):
            continue
        seen.add(key)
        day = datetime.datetime.fromisoformat(d['published_at']).astimezone(vn).date()
        week = day - datetime.timedelta(days=day.weekday())
        doc = {mode: [s for field in (title, body) for s in syllables(field, mode)] for mode in (False, True)}
        for name, include, exclude in queries:
            if any(phrase_in(doc, p) for p in include) and not any(phrase_in(doc, p) for p in exclude):
                expected[(name, week.isoformat())] = expected.get((name, week.isoformat()), 0) + 1
    mismatches = 0
    rows = 0
    for row in csv.DictReader(open(table_path, encoding='utf-8')):
        rows += 1
        want = expected.get((row['topic'], row['week_start']), 0)
        if int(row['docs']) != want:
            mismatches += 1
            if mismatches <= 10:
                print(f"{row['topic']} {row['week_start']}: nhip {row['docs']}, recount {want}")
    print(f"{rows} topic-weeks compared, {mismatches} differ")
    sys.exit(1 if mismatches else 0)


if __name__ == '__main__':
    main()
