"""Write a large, clearly fictional, bilingual site in the portal's own content format.

    python bench/make_site.py --cases 10000 --press 10000 --out /tmp/site

Every party is fictional (示例 / "Demo"); courts, causes and measures come from the portal's
real vocabulary, so facets look like the real ones. The same seed gives the same site.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES_PER_COLLECTION = 20

EN_SENTENCES = [
    "The applicant {party} applied to the {court} for enforcement of the judgment in a {cause}.",
    "The respondent {other} failed to perform the obligation within the period set by the "
    "judgment, and the court opened enforcement proceedings.",
    "Through online property investigation the court found deposits of RMB {amount} and a "
    "vehicle registered to the respondent.",
    "The court imposed a fine of RMB {small} on the respondent for refusing to declare property.",
    "The legal representative of the respondent was detained for {days} days after obstructing "
    "the enforcement officers.",
    "The respondent was included in the list of dishonest persons subject to enforcement and "
    "restricted from high consumption.",
    "After the measures were taken, the respondent paid RMB {amount} in full and the case was "
    "concluded.",
    "The judicial auction of the seized property raised RMB {amount}, which was paid to the "
    "applicant.",
    "The case shows that enforcement measures work when the court acts promptly and the "
    "parties are informed of the consequences of refusing to perform.",
    "In {year} the enforcement bureau handled {count} cases of this kind with an average closing "
    "time of {days} days.",
    "Migrant workers received RMB {small} in unpaid wages through advance payment.",
    "The court restricted {count} people from leaving the country for failing to pay.",
]
ZH_SENTENCES = [
    "申请执行人{party}向{court}申请强制执行，案由为{cause}。",
    "被执行人{other}未在判决确定的期限内履行义务，法院依法立案执行。",
    "法院通过网络查控发现被执行人名下存款{amount}元及登记车辆一辆。",
    "被执行人拒不申报财产，法院依法对其罚款{small}元。",
    "被执行人法定代表人阻碍执行人员执行公务，被司法拘留{days}日。",
    "法院将被执行人纳入失信被执行人名单，并限制其高消费。",
    "采取上述措施后，被执行人全额履行{amount}元，案件执行完毕。",
    "查封财产经司法拍卖成交，价款{amount}元已发还申请执行人。",
    "本案表明，法院及时采取执行措施并释明拒不履行的后果，能够有效促使当事人履行义务。",
    "{year}年，执行局共办理此类案件{count}件，平均结案用时{days}天。",
    "通过欠薪垫付机制，农民工领取欠薪{small}元。",
    "法院对{count}名未履行义务的被执行人限制出境。",
]
EN_SECTIONS = ("Basic facts", "Enforcement", "Typical significance")
ZH_SECTIONS = ("基本案情", "执行情况", "典型意义")


def _fill(template: str, rng: random.Random, labels: dict[str, str], lang: str) -> str:
    demo = "示例" if lang == "zh" else "Demo "
    return template.format(
        party=f"{demo}{rng.choice('甲乙丙丁戊己庚辛') if lang == 'zh' else rng.choice('ABCDEFGH')}"
        + ("公司" if lang == "zh" else " Trading Co. (fictional)"),
        other=f"{demo}{rng.randint(1, 999)}"
        + ("号有限公司" if lang == "zh" else " Ltd (fictional)"),
        court=labels["court"],
        cause=labels["cause"],
        amount=f"{rng.randint(10, 9000) * 1000:,}"
        if lang == "en"
        else rng.randint(10, 9000) * 1000,
        small=f"{rng.randint(1, 100) * 1000:,}" if lang == "en" else rng.randint(1, 100) * 1000,
        days=rng.randint(3, 15),
        count=rng.randint(5, 900),
        year=rng.randint(2015, 2024),
    )


def _paragraphs(rng: random.Random, labels: dict[str, str], lang: str, count: int) -> list[str]:
    sentences = ZH_SENTENCES if lang == "zh" else EN_SENTENCES
    joiner = "" if lang == "zh" else " "
    return [
        joiner.join(
            _fill(rng.choice(sentences), rng, labels, lang) for _ in range(rng.randint(3, 6))
        )
        for _ in range(count)
    ]


def _write(path: Path, front: dict[str, object], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"---\n{text}---\n{body}", encoding="utf-8")


def make_site(out: Path, cases: int, press: int, seed: int) -> None:
    """Write content/ and cases/ under `out`, replacing what was there."""
    rng = random.Random(seed)
    for folder in ("content", "cases"):
        shutil.rmtree(out / folder, ignore_errors=True)
    vocabulary = yaml.safe_load((ROOT / "cases/vocabulary.yaml").read_text(encoding="utf-8"))
    (out / "cases").mkdir(parents=True)
    shutil.copy(ROOT / "cases/vocabulary.yaml", out / "cases/vocabulary.yaml")
    shutil.copytree(ROOT / "content/pages", out / "content/pages")
    keys = {kind: list(terms) for kind, terms in vocabulary.items()}
    collections: list[str] = []
    for start in range(0, cases, CASES_PER_COLLECTION):
        year = 2015 + (start // CASES_PER_COLLECTION) % 10
        key = f"demo-{year}-{start // CASES_PER_COLLECTION + 1:05d}"
        collections.append(key)
        category = rng.choice(keys["categories"])
        size = min(CASES_PER_COLLECTION, cases - start)
        for lang in ("en", "zh"):
            title = (f"Demo collection {key} (fictional)" if lang == "en"
                     else f"示例案例集 {key}（虚构）")  # fmt: skip
            _write(out / "cases" / key / f"collection.{lang}.md",
                   {"title": title, "summary": title, "year": year, "category": category,
                    "total_cases": size}, "")  # fmt: skip
        for number in range(1, size + 1):
            court, cause = rng.choice(keys["courts"]), rng.choice(keys["causes"])
            measures = rng.sample(keys["measures"], rng.randint(0, 3))
            for lang in ("en", "zh"):
                labels = {"court": vocabulary["courts"][court][lang],
                          "cause": vocabulary["causes"][cause][lang]}  # fmt: skip
                sections = ZH_SECTIONS if lang == "zh" else EN_SECTIONS
                paragraphs = _paragraphs(rng, labels, lang, 3)
                body = "".join(
                    f"\n## {s}\n\n{p}\n" for s, p in zip(sections, paragraphs, strict=True)
                )
                title = (f"示例{number}号案：{labels['cause']}（虚构）" if lang == "zh"
                         else f"Demo case {number}: {labels['cause']} (fictional)")  # fmt: skip
                _write(out / "cases" / key / f"{number:02d}-case.{lang}.md",
                       {"title": title, "parties": "Demo A v. Demo B (fictional)"
                        if lang == "en" else "示例甲诉示例乙（虚构）", "number": number,
                        "court": court, "cause": cause, "category": category, "year": year,
                        "measures": measures}, body)  # fmt: skip
    for index in range(press):
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))
        slug = f"demo-release-{index + 1:05d}"
        labels_en = {"court": vocabulary["courts"][rng.choice(keys["courts"])]["en"],
                     "cause": vocabulary["causes"][rng.choice(keys["causes"])]["en"]}  # fmt: skip
        for lang in ("en", "zh"):
            labels = labels_en if lang == "en" else {"court": "示例法院", "cause": "示例案由"}
            paragraphs = _paragraphs(rng, labels, lang, rng.randint(4, 8))
            title = (f"Demo press release {index + 1} on enforcement (fictional)" if lang == "en"
                     else f"示例新闻发布第{index + 1}号：执行工作情况（虚构）")  # fmt: skip
            _write(out / "content/press" / str(date.year) / f"{slug}.{lang}.md",
                   {"title": title, "date": date, "summary": paragraphs[0][:200]},
                   "\n\n".join(paragraphs) + "\n")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--press", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    make_site(args.out, args.cases, args.press, args.seed)
    print(f"wrote {args.cases} cases and {args.press} press releases in English and Chinese "
          f"under {args.out}")  # fmt: skip


if __name__ == "__main__":
    main()
