#!/usr/bin/env python3
"""Generate a deterministic synthetic year of daily-arXiv JSON Lines for the scale work.

The files are in the format of dw-dengwei/daily-arXiv-ai-enhanced (its `data` branch):
`content/data/YYYY-MM-DD_AI_enhanced_Chinese.jsonl`, one JSON object a line with `id`,
`categories`, `pdf`, `abs`, `authors`, `title`, `comment`, `summary` (an English abstract,
hard-wrapped, with TeX), sometimes `code_url`/`code_stars`, and an `AI` object in Chinese
(`tldr`, or `task` on some days, `motivation`, `method`, `result`, `conclusion`).

Like the real year (82,476 rows for 63,104 papers over 407 days), N papers (default 63,000)
are spread over D days (default 407) with about 31% of them listed again on a later day, so
there are about 1.31 N rows; days hold 20 to 1,000 rows. Authorship is realistic (as in
gen_corpus.py --authors realistic, tuned to arXiv's figures): about 5.8 authors a paper, and
about 53% of authors on one paper. About 1% of rows carry a failed run's values ("Method
extraction failed"), as real files do. `--with-crawl` also writes the plain `YYYY-MM-DD.jsonl`
crawl of each day (the same rows without `AI`), as the repository has it.

Usage:
  gen_jsonl.py --out /tmp/jsonl-year [--papers 63000] [--days 407] [--stats]
  papershelf --root /tmp/jsonl-year build

Stdlib only; no network. Writes site.toml and content/data/ under --out (absent or empty).
"""

import argparse
import datetime as dt
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_corpus import CAVEAT, CONTEXT, FIRST_NAMES, LAST_NAMES, OBJ, SUBJ, VERB, make_title  # noqa: E402

CATEGORIES = ["cs.CV", "cs.CL", "cs.AI", "cs.LG"]
OTHER_CATEGORIES = ["cs.RO", "cs.IR", "cs.CR", "stat.ML", "eess.IV", "cs.HC", "cs.MA", "eess.AS"]
SYLLABLES = ["ka", "lo", "mi", "ren", "sa", "to", "vel", "dor", "an", "be", "chi", "du", "fen", "ga",
             "hol", "is", "jo", "kur", "lan", "mar", "nov", "os", "pe", "qu", "ri", "sto", "tan", "ul",
             "va", "wen", "xi", "ya", "zo", "bri", "cor", "del", "ev", "fra", "gil", "han"]
VENUES = ["CVPR 2025", "ICCV 2025", "NeurIPS 2025", "ICLR 2026", "ACL 2025", "EMNLP 2025", "AAAI 2026",
          "ICML 2025", "ISED 2025", "MICCAI 2025"]
TEX = [r"$O(n^2)$", r"$\alpha$", r"$\ell_1$", r"$k$-NN", r"$\mathcal{O}(n \log n)$", r"$SE(3)$",
       r"$\epsilon$-greedy", r"$10\times$", r"$\sim 3\%$", r"$L_2$"]
FAILED = ["Summary generation failed", "Motivation analysis unavailable", "Method extraction failed",
          "Result analysis unavailable", "Conclusion extraction failed", "Error"]

ZH_TOPIC = ["扩散模型", "大语言模型", "视觉语言模型", "强化学习", "图神经网络", "多模态推理", "目标检测",
            "语义分割", "知识蒸馏", "检索增强生成", "视频生成", "三维重建", "具身智能", "代码生成",
            "数学推理", "模型压缩", "联邦学习", "对抗攻击", "医学图像分析", "自动驾驶"]
ZH_PROBLEM = ["计算成本高昂", "泛化能力不足", "对长上下文建模困难", "缺乏高质量标注数据", "推理速度慢",
              "容易产生幻觉", "在分布外场景下性能下降", "难以兼顾精度与效率", "训练不稳定"]
ZH_METHOD = ["提出了一种新的框架", "设计了轻量级模块", "引入了自适应注意力机制", "构建了大规模数据集",
             "采用两阶段训练策略", "结合对比学习与蒸馏", "利用合成数据进行预训练", "提出了稀疏专家混合结构"]
ZH_RESULT = ["在多个基准上取得了最先进的性能", "推理速度提升了{k}倍", "准确率提高了{n}%",
             "显著降低了显存占用", "在零样本设定下优于现有方法", "参数量减少了{n}%而性能相当"]
ZH_CONCLUSION = ["该方法为后续研究提供了新的思路", "结果表明所提方法有效且通用", "该工作具有重要的实际应用价值",
                 "未来可扩展到更多模态与任务"]


def realistic_authors(rng, pool):
    """About 5.8 authors (1 to 30, log-normal); each slot a new name with probability 0.17
    (most of them on one paper only), else one of `pool` recurring names, the first ones more
    often (the approach of gen_corpus.py --authors realistic, tuned so that about 53% of
    authors have one paper, as on arXiv)."""
    n = max(1, min(30, round(rng.lognormvariate(1.64, 0.5))))
    out = []
    while len(out) < n:
        if rng.random() < 0.17:
            last = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
            a = f"{rng.choice(FIRST_NAMES)} {last}"
        else:
            i = int(pool * rng.random() ** 1.5)
            first, rest = FIRST_NAMES[i % len(FIRST_NAMES)], i // len(FIRST_NAMES)
            last, k = LAST_NAMES[rest % len(LAST_NAMES)], rest // len(LAST_NAMES)
            a = f"{first} {chr(65 + k % 26)}{k // 26 or ''}. {last}" if k else f"{first} {last}"
        if a not in out:
            out.append(a)
    return out


def abstract(rng):
    """An English abstract of about 1,100-1,600 characters, with TeX, hard-wrapped at 80."""
    target = max(700, min(1900, int(rng.gauss(1300, 250))))
    words = []
    total = 0
    while total < target:
        kind = rng.randrange(4)
        if kind == 0:
            s = f"{rng.choice(SUBJ).capitalize()} {rng.choice(VERB)} {rng.choice(OBJ)}."
        elif kind == 1:
            s = f"Our method reaches {rng.randint(3, 40)}% higher accuracy at {rng.choice(TEX)} cost."
        elif kind == 2:
            s = rng.choice(CAVEAT)
        else:
            s = rng.choice(CONTEXT)
        words.extend(s.split())
        total += len(s) + 1
    lines, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > 80:
            lines.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    lines.append(cur)
    return "\n".join(lines)


def chinese_ai(rng, use_task, failed):
    topic = rng.choice(ZH_TOPIC)
    fill = lambda s: s.format(k=rng.randint(2, 9), n=rng.randint(3, 40))  # noqa: E731
    # As long as the published files' fields: 60-90 characters each, 40-60 for the
    # conclusion (~300 characters, ~900 bytes of UTF-8, a row).
    method = lambda: rng.choice(ZH_METHOD)  # noqa: E731
    result = lambda: fill(rng.choice(ZH_RESULT))  # noqa: E731
    problem = lambda: rng.choice(ZH_PROBLEM)  # noqa: E731
    ai = {
        "task" if use_task else "tldr": f"本文针对{topic}{problem()}的问题，{method()}，并{method()}，{result()}，{result()}。",
        "motivation": f"{topic}在{rng.choice(ZH_TOPIC)}等场景中应用广泛，但现有方法{problem()}，且{problem()}，限制了其在实际场景中的应用。",
        "method": f"作者{method()}，并{method()}，同时{method()}，在{topic}与{rng.choice(ZH_TOPIC)}任务上进行训练与评估。",
        "result": f"在{rng.randint(3, 12)}个基准上的实验表明，该方法{result()}，{result()}，并且{result()}。",
        "conclusion": f"{rng.choice(ZH_CONCLUSION)}，{rng.choice(ZH_CONCLUSION)}。",
    }
    if failed:
        for key in rng.sample(list(ai), rng.randint(1, 5)):
            ai[key] = rng.choice(FAILED)
    return ai


def paper(rng, i, first_day, pool):
    month = first_day.strftime("%y%m")
    pid = f"{month}.{i:05d}"
    primary = rng.choice(CATEGORIES)
    cats = [primary] + rng.sample([c for c in CATEGORIES if c != primary], rng.randint(0, 2))
    if rng.random() < 0.2:
        cats.append(rng.choice(OTHER_CATEGORIES))
    row = {
        "id": pid,
        "categories": cats,
        "pdf": f"https://arxiv.org/pdf/{pid}",
        "abs": f"https://arxiv.org/abs/{pid}",
        "authors": realistic_authors(rng, pool),
        "title": make_title(rng),
        "comment": None if rng.random() < 0.45 else
        rng.choice([f"{rng.randint(6, 40)} pages, {rng.randint(1, 12)} figures",
                    f"Accepted at {rng.choice(VENUES)}, {rng.randint(6, 12)} pages"]),
        "summary": abstract(rng),
    }
    if rng.random() < 0.12:
        row["code_url"] = f"https://github.com/{rng.choice(SYLLABLES)}{rng.choice(SYLLABLES)}/{pid.replace('.', '-')}"
        if rng.random() < 0.7:
            row["code_stars"] = int(rng.paretovariate(1.2)) - 1
            row["code_last_update"] = first_day.isoformat()
    return row


def day_weights(rng, days):
    """Each day's share of the rows: log-normal, so days hold 20 to 1,000 rows."""
    return [rng.lognormvariate(0, 0.7) for _ in range(days)]


def plan(papers, days, seed):
    """Which papers each day lists: (day index, paper index) pairs, each paper once on its
    first day and about 31% again on a later one."""
    rng = random.Random(seed)
    weights = day_weights(rng, days)
    total = sum(weights)
    rows_goal = papers * 1.31
    cap = [max(20, min(1000, round(w / total * rows_goal))) for w in weights]
    firsts = [round(c / 1.31) for c in cap]
    scale = papers / sum(firsts)
    firsts = [max(15, round(f * scale)) for f in firsts]
    firsts[-1] += papers - sum(firsts)
    listing = []
    i = 0
    for d, f in enumerate(firsts):
        for _ in range(max(0, f)):
            if i < papers:
                listing.append((d, i))
                i += 1
    first_day = [d for d, _ in listing]
    for p in range(papers):
        again = 1 if rng.random() < 0.27 else 0
        again += 1 if rng.random() < 0.04 else 0
        seen = {first_day[p]}
        for k in range(again):
            d = first_day[p] + 1 + k + int(rng.expovariate(1 / 4))
            if d < days and d not in seen:
                seen.add(d)
                listing.append((d, p))
    return first_day, listing


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True, help="output folder (absent or empty)")
    ap.add_argument("--papers", "-N", type=int, default=63000)
    ap.add_argument("--days", "-D", type=int, default=407)
    ap.add_argument("--start", default="2024-10-22", help="first day (YYYY-MM-DD)")
    ap.add_argument("--seed", type=int, default=20250101)
    ap.add_argument("--with-crawl", action="store_true", help="also write each day's plain crawl file")
    ap.add_argument("--stats", action="store_true", help="print rows, papers, authors")
    a = ap.parse_args()
    if a.papers < 20 * a.days:
        sys.exit(f"--papers must be at least 20 a day ({20 * a.days} for {a.days} days); lower --days")
    if os.path.exists(a.out) and os.listdir(a.out):
        sys.exit(f"{a.out} is not empty")
    start = dt.date.fromisoformat(a.start)
    first_day, listing = plan(a.papers, a.days, a.seed)
    pool = max(1000, a.papers)
    rows = {}
    for p in range(a.papers):
        rng = random.Random(a.seed * 1_000_003 + p)
        rows[p] = paper(rng, p, start + dt.timedelta(days=first_day[p]), pool)
    by_day = [[] for _ in range(a.days)]
    for d, p in listing:
        by_day[d].append(p)
    data = os.path.join(a.out, "content", "data")
    os.makedirs(data, exist_ok=True)
    with open(os.path.join(a.out, "site.toml"), "w") as f:
        f.write('title = "daily-arXiv (synthetic)"\nbase_url = "https://example.com/"\n')
    day_rng = random.Random(a.seed + 1)
    for d, ps in enumerate(by_day):
        date = (start + dt.timedelta(days=d)).isoformat()
        use_task = day_rng.random() < 0.1
        enhanced, crawl = [], []
        for p in ps:
            rng = random.Random(a.seed * 7 + d * 1_000_003 + p)
            row = dict(rows[p])
            crawl.append(json.dumps(row, ensure_ascii=False))
            row["AI"] = chinese_ai(rng, use_task, rng.random() < 0.01)
            enhanced.append(json.dumps(row, ensure_ascii=False))
        with open(os.path.join(data, f"{date}_AI_enhanced_Chinese.jsonl"), "w") as f:
            f.write("\n".join(enhanced) + "\n")
        if a.with_crawl:
            with open(os.path.join(data, f"{date}.jsonl"), "w") as f:
                f.write("\n".join(crawl) + "\n")
    if a.stats:
        stats(rows, listing, by_day)


def stats(rows, listing, by_day):
    counts = {}
    slots = 0
    for r in rows.values():
        slots += len(r["authors"])
        for name in r["authors"]:
            counts[name] = counts.get(name, 0) + 1
    once = sum(1 for c in counts.values() if c == 1)
    sizes = sorted(len(ps) for ps in by_day)
    print(f"rows {len(listing)}, papers {len(rows)}, days {len(by_day)} "
          f"(rows a day: min {sizes[0]}, median {sizes[len(sizes) // 2]}, max {sizes[-1]})")
    print(f"authors {len(counts)}, {slots / len(rows):.2f} a paper, "
          f"{100 * once / len(counts):.1f}% on one paper")


if __name__ == "__main__":
    main()
