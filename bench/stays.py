"""What the kept parts of a built site cost on their own: the bytes of each part issue 23 keeps
("these stay": summaries, related papers, citation metadata, day teasers, `.bib` files, the
search index), without page chrome, measured on 3,000 paper pages and every day page and
scaled to the site. This is the floor no markup change can go under while those stay.

    python3 bench/stays.py OUTPUT_DIR
"""
import os
import random
import re
import sys

# Each kept part of a paper page, as the default theme writes it.
PAPER_PARTS = {
    # The prose holds the lead and the summary's sections (`<section id=…>`, no class) and
    # the questions; the page's own sections (abstract, tags, related, cite) have a class.
    "summary+questions": r'<div class="prose">.*?(?=<section class="|</article>)',
    "abstract": r'<section class="abstract".*?</section>',
    "related": r'<section class="related".*?</section>',
    "title_h1": r"<h1.*?</h1>",
    "byline": r'<p class="byline">.*?</p>(?:\s*<details class="byline-more">.*?</details>)?',
    "links": r'<ul class="pills link-pills".*?</ul>',
    "tags": r'<section class="paper-tags".*?</section>',
}


def size(text):
    return len(text.encode())


def paper_parts(root, sample_size=3000):
    """Bytes a paper page of each kept part, and of the whole page, over a sample."""
    folder = os.path.join(root, "papers")
    papers = [p for p in os.listdir(folder) if os.path.isfile(os.path.join(folder, p, "index.html"))]
    sample = random.Random(7).sample(papers, min(sample_size, len(papers)))
    totals = dict.fromkeys([*PAPER_PARTS, "citation_meta", "whole"], 0)
    for name in sample:
        with open(os.path.join(root, "papers", name, "index.html"), encoding="utf-8") as f:
            page = f.read()
        totals["whole"] += size(page)
        for part, pattern in PAPER_PARTS.items():
            found = re.search(pattern, page, re.S)
            totals[part] += size(found.group(0)) if found else 0
        totals["citation_meta"] += sum(size(m) for m in re.findall(r'<meta name="citation_[^>]*>', page))
    return len(papers), {part: total / len(sample) for part, total in totals.items()}


def day_teasers(root):
    """Bytes of the teaser lists of every day page, and of those pages whole."""
    teasers = whole = 0
    for day in (d for d in os.listdir(root) if re.fullmatch(r"\d{4}-\d\d-\d\d", d)):
        for folder, _, files in os.walk(os.path.join(root, day)):
            if "index.html" in files:
                with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
                    page = f.read()
                whole += size(page)
                found = re.search(r'<ol class="teasers">.*?</ol>', page, re.S)
                teasers += size(found.group(0)) if found else 0
    return teasers, whole


def folder_bytes(root, keep=lambda name: True):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(root) for f in fs if keep(f))


def main():
    root = sys.argv[1]
    count, per_page = paper_parts(root)
    print(f"paper pages: {count:,}")
    for part, average in per_page.items():
        print(f"  {part:>18} {average:8,.0f} B/page  {average * count / 1e6:8.1f} MB")
    kept = sum(v for part, v in per_page.items() if part != "whole")
    print(f"  {'kept parts':>18} {kept:8,.0f} B/page  {kept * count / 1e6:8.1f} MB")
    teasers, whole = day_teasers(root)
    print(f"day pages: teasers {teasers / 1e6:.1f} MB of {whole / 1e6:.1f} MB")
    bib = folder_bytes(root, lambda name: name.endswith(".bib"))
    search = folder_bytes(os.path.join(root, "search"))
    print(f".bib files {bib / 1e6:.1f} MB; search {search / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
