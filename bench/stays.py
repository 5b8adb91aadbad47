"""What the kept parts of a built site cost on their own: the bytes of each part issue 23 keeps
("these stay": summaries, related papers, citation metadata, day teasers, `.bib` files, the
search index), without page chrome, measured on 3,000 paper pages and every day page and
scaled to the site. `python3 bench/stays.py OUTPUT_DIR`. This is the floor no markup
change can go under while those stay."""
import os, re, random, sys
root = sys.argv[1]
random.seed(7)
papers = os.listdir(os.path.join(root, 'papers'))
sample = random.sample(papers, min(3000, len(papers)))
parts = {k: 0 for k in ['summary+questions', 'abstract', 'related', 'citation_meta', 'title_h1', 'byline', 'links', 'tags', 'whole']}
for d in sample:
    s = open(os.path.join(root, 'papers', d, 'index.html'), encoding='utf-8').read()
    b = lambda x: len(x.encode())
    parts['whole'] += b(s)
    m = re.search(r'<div class="prose">.*?\n  </div>|<div class="prose">.*?</div>\n(?=\s*<section|\s*</article)', s, re.S)
    parts['summary+questions'] += b(m.group(0)) if m else 0
    m = re.search(r'<section class="abstract".*?</section>', s, re.S); parts['abstract'] += b(m.group(0)) if m else 0
    m = re.search(r'<section class="related".*?</section>', s, re.S); parts['related'] += b(m.group(0)) if m else 0
    parts['citation_meta'] += sum(b(x) for x in re.findall(r'<meta name="citation_[^>]*>', s))
    m = re.search(r'<h1.*?</h1>', s, re.S); parts['title_h1'] += b(m.group(0))
    m = re.search(r'<p class="byline">.*?</p>', s, re.S); parts['byline'] += b(m.group(0)) if m else 0
    m = re.search(r'<ul class="pills link-pills".*?</ul>', s, re.S); parts['links'] += b(m.group(0)) if m else 0
    m = re.search(r'<section class="paper-tags".*?</section>', s, re.S); parts['tags'] += b(m.group(0)) if m else 0
n = len(papers); k = n / len(sample)
print(f"paper pages: {n:,}")
for key, v in parts.items():
    print(f"  {key:>18} {v/len(sample):8,.0f} B/page  {v*k/1e6:8.1f} MB")
kept = sum(v for key, v in parts.items() if key != 'whole')
print(f"  {'kept parts':>18} {kept/len(sample):8,.0f} B/page  {kept*k/1e6:8.1f} MB")
days = [x for x in os.listdir(root) if re.fullmatch(r'\d{4}-\d\d-\d\d', x)]
t = w = 0
for d in days:
    for r, _, fs in os.walk(os.path.join(root, d)):
        for f in fs:
            if f == 'index.html':
                s = open(os.path.join(r, f), encoding='utf-8').read()
                w += len(s.encode())
                m = re.search(r'<ol class="teasers">.*</ol>', s, re.S); t += len(m.group(0).encode()) if m else 0
print(f"day pages: teasers {t/1e6:.1f} MB of {w/1e6:.1f} MB")
bib = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(root) for f in fs if f.endswith('.bib'))
gz = sum(os.path.getsize(os.path.join(r, f)) for r, _, fs in os.walk(os.path.join(root, 'search')) for f in fs)
print(f".bib files {bib/1e6:.1f} MB; search {gz/1e6:.1f} MB")
