"""Write a large, clearly fictional, bilingual site in the portal's own content format.

    python bench/make_site.py --cases 10000 --press 10000 --out /tmp/site

Every party is fictional (示例 / "Demo ... (fictional)"); courts, causes and measures come from
the portal's real vocabulary, so facets look like the real ones. Each case is told once and
written in both languages: its parties, what was owed and why, the property found, the
measures taken (only the case's own measures are described) and the outcome, drawn from pools
of sentences and words, so that a word is common or rare as in real enforcement texts rather
than in every document. Press releases are drawn from their own themes (statistics,
campaigns, reforms, cooperation, events). The same seed gives the same site.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES_PER_COLLECTION = 20

# Pools of paired English and Chinese words.
NAME_WORDS = [("Bluestone", "蓝石"), ("Eastbay", "东湾"), ("Silverleaf", "银叶"),
              ("Northgate", "北门"), ("Redpine", "红松"), ("Goldriver", "金河"),
              ("Clearwater", "清水"), ("Greenhill", "青山"), ("Sunrise", "朝阳"),
              ("Westlake", "西湖"), ("Harbourview", "港景"), ("Starbridge", "星桥"),
              ("Jadefield", "玉田"), ("Maplewood", "枫林"), ("Cloudpeak", "云峰"),
              ("Riverside", "河畔"), ("Oakridge", "橡岭"), ("Brightway", "明途"),
              ("Southwind", "南风"), ("Pearlgate", "珠门"), ("Ironwood", "铁木"),
              ("Lotuspond", "荷塘"), ("Seabreeze", "海风"), ("Stonebridge", "石桥")]  # fmt: skip
TRADES = [("Trading", "贸易"), ("Logistics", "物流"), ("Construction", "建筑工程"),
          ("Textile", "纺织"), ("Catering", "餐饮管理"), ("Property Management", "物业管理"),
          ("Technology", "科技"), ("Decoration", "装饰"), ("Investment", "投资咨询"),
          ("Machinery", "机械设备"), ("Garment", "服饰"), ("Education", "教育咨询"),
          ("Printing", "印刷"), ("Food", "食品"), ("Shipping", "航运"),
          ("Media", "文化传媒")]  # fmt: skip
COMPANY_FORMS = [("Co., Ltd", "有限公司"), ("Ltd", "有限责任公司"), ("Group", "集团"),
                 ("Partnership", "合伙企业")]  # fmt: skip
SURNAMES = [("Wang", "王"), ("Li", "李"), ("Zhang", "张"), ("Liu", "刘"), ("Chen", "陈"),
            ("Yang", "杨"), ("Zhao", "赵"), ("Huang", "黄"), ("Zhou", "周"), ("Wu", "吴"),
            ("Xu", "徐"), ("Sun", "孙"), ("Hu", "胡"), ("Zhu", "朱"), ("Gao", "高"),
            ("Lin", "林"), ("He", "何"), ("Guo", "郭"), ("Ma", "马"), ("Luo", "罗")]  # fmt: skip
PROPERTY = [("a flat", "住房一套"), ("a vehicle", "车辆一辆"), ("bank deposits", "银行存款"),
            ("shares in a company", "公司股权"), ("a shop unit", "商铺一间"),
            ("production equipment", "生产设备一批"), ("wealth-management products", "理财产品"),
            ("a land use right", "土地使用权"), ("housing provident fund", "住房公积金"),
            ("receivables from a customer", "对外应收账款"), ("a parking space", "车位一个"),
            ("an office floor", "办公楼一层"), ("a container ship", "集装箱船一艘"),
            ("online payment balances", "第三方支付账户余额"), ("securities", "证券"),
            ("a warehouse of stock", "库存货物一批"), ("a trademark", "注册商标专用权"),
            ("rent receivable", "应收租金")]  # fmt: skip
PLACES = [("Demo Road", "示例路"), ("Demo Avenue", "示例大道"), ("Demo Lane", "示例弄"),
          ("Demo Industrial Park", "示例工业园区"), ("Demo New Town", "示例新城"),
          ("Demo Harbour", "示例港区")]  # fmt: skip
REASONS = [("a loan that fell due", "借款到期未还"), ("goods delivered and not paid for",
            "货款未付"), ("unpaid rent", "拖欠租金"), ("wages owed to workers", "拖欠工资"),
           ("a construction price", "工程款未结"), ("compensation for an accident",
            "事故赔偿款未付"), ("property service fees", "物业服务费未缴"),
           ("a credit card debt", "信用卡欠款"), ("maintenance for a child", "子女抚养费"),
           ("a division of marital property", "夫妻共同财产分割款"),
           ("an arbitral award", "仲裁裁决确定的款项"), ("a guarantee", "担保责任")]  # fmt: skip

# The story of a case, one list of (English, Chinese) templates per part.
OPENINGS = [
    (
        "{applicant} and {respondent} had a dispute over {reason}; the judgment ordered "
        "{respondent} to pay RMB {amount} with interest.",
        "{applicant}与{respondent}因{reason}发生纠纷，判决{respondent}支付{amount}元及利息。",
    ),
    (
        "On {date} {applicant} applied to the {court} for enforcement of the judgment in a "
        "{cause}.",
        "{date}，{applicant}向{court}申请强制执行，案由为{cause}。",
    ),
    (
        "The effective judgment in this {cause} required {respondent} to pay RMB {amount} to "
        "{applicant} within ten days.",
        "本案{cause}生效判决确定{respondent}应于十日内向{applicant}支付{amount}元。",
    ),
    (
        "{respondent}, registered at No. {number} {place}, owed {applicant} RMB {amount} for "
        "{reason}.",
        "登记住所地为{place}{number}号的{respondent}因{reason}欠付{applicant}{amount}元。",
    ),
    (
        "After mediation failed, the {court} ruled that {respondent} should repay RMB {amount}, "
        "but no payment was made.",
        "调解不成后，{court}判决{respondent}偿还{amount}元，但其一直未履行。",
    ),
    (
        "{applicant}, a small supplier, had waited {months} months for RMB {amount} owed by "
        "{respondent} for {reason}.",
        "{applicant}系小型供应商，因{reason}已等待{respondent}付款{months}个月，金额{amount}元。",
    ),
]
DEFAULTS = [
    (
        "{respondent} did not perform within the period set by the judgment, and the court opened "
        "enforcement proceedings on {date}.",
        "{respondent}未在判决确定的期限内履行义务，法院于{date}立案执行。",
    ),
    (
        "{respondent} claimed to have no money and stopped answering the court's calls.",
        "{respondent}声称无力还款，并拒接法院电话。",
    ),
    (
        "The enforcement judge served a notice to perform and an order to declare property on "
        "{respondent}, which ignored both.",
        "执行法官向{respondent}送达执行通知书和报告财产令，{respondent}均置之不理。",
    ),
    (
        "{respondent} moved its business to another address and transferred staff to a related "
        "company.",
        "{respondent}变更经营地址，并将员工转移至关联公司。",
    ),
    (
        "The legal representative of {respondent} said that the debt would be paid from future "
        "orders, but no plan followed.",
        "{respondent}法定代表人表示将以后续订单收入还款，但始终未提出还款计划。",
    ),
]
FINDINGS = [
    (
        "Searching the banking system, the court found {property} held by {respondent}.",
        "法院经查询发现{respondent}名下有{property}。",
    ),
    (
        "The court learned that {respondent} still owned {property} worth about RMB {amount}.",
        "法院查明{respondent}仍拥有价值约{amount}元的{property}。",
    ),
    (
        "Enquiries at the registry showed {property} registered to {respondent} at {place}.",
        "经登记机关查询，{respondent}在{place}有{property}。",
    ),
    (
        "A tip from the public led the officers to {property} that {respondent} had hidden.",
        "根据群众举报线索，执行干警找到{respondent}隐匿的{property}。",
    ),
]
MEASURES = {
    "online-property-investigation": [
        (
            "Through online property investigation the court found deposits of RMB {small} and "
            "froze them the same day.",
            "法院通过网络查控发现存款{small}元，并于当日冻结。",
        ),
        (
            "The online investigation and control system returned {count} accounts in the name of "
            "{respondent}.",
            "网络查控系统反馈{respondent}名下账户{count}个。",
        ),
    ],
    "fine": [
        (
            "The court imposed a fine of RMB {small} on {respondent} for refusing to declare "
            "property.",
            "因{respondent}拒不申报财产，法院依法对其罚款{small}元。",
        ),
        (
            "For giving false information about its assets, {respondent} was fined RMB {small}.",
            "{respondent}虚假报告财产情况，被处以罚款{small}元。",
        ),
    ],
    "detention": [
        (
            "The legal representative of {respondent} was detained for {days} days after "
            "obstructing the enforcement officers.",
            "{respondent}法定代表人阻碍执行人员执行公务，被司法拘留{days}日。",
        ),
        (
            "{person} was taken into judicial detention for {days} days and paid during the "
            "detention.",
            "{person}被司法拘留{days}日，在拘留期间履行了义务。",
        ),
    ],
    "compulsory-search": [
        (
            "With a search warrant, officers searched the premises of {respondent} at {place} and "
            "sealed {property}.",
            "执行人员持搜查令对{respondent}位于{place}的经营场所进行搜查，查封{property}。",
        ),
    ],
    "exit-restriction": [
        (
            "{person} was restricted from leaving the country until the debt was paid.",
            "法院对{person}限制出境，直至债务清偿。",
        ),
        (
            "When {person} tried to board a flight abroad, the exit restriction stopped the "
            "journey.",
            "{person}欲出境时被拦截，限制出境措施发挥作用。",
        ),
    ],
    "consumption-restriction": [
        (
            "The court restricted {person} from high consumption, such as air travel and luxury "
            "hotels.",
            "法院对{person}采取限制高消费措施，禁止乘坐飞机、入住星级宾馆。",
        ),
        (
            "{person} was found travelling first class in breach of the consumption restriction.",
            "{person}违反限制消费令乘坐高铁一等座，被法院查实。",
        ),
    ],
    "dishonest-debtor-list": [
        (
            "{respondent} was included in the list of dishonest persons subject to enforcement.",
            "法院将{respondent}纳入失信被执行人名单。",
        ),
        (
            "Being on the list of dishonest persons cost {respondent} a bank loan and a tender.",
            "被纳入失信被执行人名单后，{respondent}贷款和投标均受到限制。",
        ),
    ],
    "judicial-auction": [
        (
            "The judicial auction of {property} seized by the court raised RMB {amount}, which was "
            "paid to {applicant}.",
            "查封的{property}经司法拍卖成交，价款{amount}元已发还{applicant}。",
        ),
        (
            "The online auction drew {count} bidders and sold {property} for RMB {amount}.",
            "网络司法拍卖吸引{count}人竞买，{property}以{amount}元成交。",
        ),
    ],
    "refusal-to-enforce-crime": [
        (
            "The court referred {person} to the police for the crime of refusing to enforce a "
            "judgment.",
            "法院将{person}涉嫌拒不执行判决、裁定罪的线索移送公安机关。",
        ),
    ],
    "wage-advance-payment": [
        (
            "Migrant workers received RMB {small} in unpaid wages through advance payment.",
            "通过欠薪垫付机制，农民工领取欠薪{small}元。",
        ),
        (
            "{count} migrant workers were paid their wages before the Spring Festival.",
            "春节前，{count}名农民工领到了工资。",
        ),
    ],
    "judicial-assistance": [
        (
            "A court in another province helped to seize {property} at the request of the {court}.",
            "应{court}请求，外省法院协助查封了{property}。",
        ),
    ],
    "mobile-enforcement": [
        (
            "Using the mobile enforcement app, the officers recorded the seizure on site and "
            "informed {applicant} at once.",
            "执行干警使用移动执行平台现场记录查封过程，并即时告知{applicant}。",
        ),
    ],
}
OUTCOMES = [
    (
        "{respondent} then paid RMB {amount} in full and the case was concluded.",
        "{respondent}随即全额履行{amount}元，案件执行完毕。",
    ),
    (
        "The parties reached a settlement: {respondent} would pay in {months} monthly instalments.",
        "双方达成执行和解，{respondent}分{months}期按月还款。",
    ),
    (
        "No further property was found, and the court ended this round of enforcement; "
        "{applicant} may apply again.",
        "因未发现其他可供执行财产，法院终结本次执行程序，{applicant}可再次申请执行。",
    ),
    (
        "{applicant} received RMB {amount}, and the remaining RMB {small} was paid by a guarantor.",
        "{applicant}收到执行款{amount}元，剩余{small}元由担保人代为清偿。",
    ),
    (
        "After the measures, {respondent} came to the court on {date} and paid the whole debt.",
        "采取上述措施后，{respondent}于{date}主动到法院履行全部债务。",
    ),
]
SIGNIFICANCE = [
    (
        "The case shows that enforcement measures work when the court acts promptly and the "
        "parties are informed of the consequences of refusing to perform.",
        "本案表明，法院及时采取执行措施并释明拒不履行的后果，能够有效促使当事人履行义务。",
    ),
    (
        "Credit discipline makes evasion costly: a debtor who can pay gains nothing by delay.",
        "信用惩戒提高了规避执行的成本，有履行能力的被执行人拖延履行得不偿失。",
    ),
    (
        "Protecting the wages of workers is a priority of enforcement work.",
        "保障劳动者工资权益是执行工作的重点。",
    ),
    (
        "Finding hidden assets quickly depends on information shared between courts and "
        "registries.",
        "快速发现隐匿财产有赖于法院与登记机关之间的信息共享。",
    ),
    (
        "Settlement in enforcement can serve both parties better than a forced sale.",
        "执行和解有时比强制变卖更能兼顾双方利益。",
    ),
    (
        "Judgments must be respected; refusing to perform one is a crime.",
        "生效裁判必须得到尊重，拒不执行构成犯罪。",
    ),
]
PRESS_TITLES = [
    (
        "Demo release {n} (fictional): the {court} reports on enforcement in {year}",
        "示例新闻{n}（虚构）：{court}通报{year}年执行工作情况",
    ),
    (
        "Demo release {n} (fictional): a campaign against evading enforcement",
        "示例新闻{n}（虚构）：开展打击规避执行专项行动",
    ),
    (
        "Demo release {n} (fictional): courts and banks share information on assets",
        "示例新闻{n}（虚构）：法院与银行建立财产信息共享机制",
    ),
    (
        "Demo release {n} (fictional): open day at the enforcement bureau",
        "示例新闻{n}（虚构）：执行局举办公众开放日",
    ),
    (
        "Demo release {n} (fictional): typical cases on {cause}",
        "示例新闻{n}（虚构）：{cause}典型案例发布",
    ),
    (
        "Demo release {n} (fictional): unpaid wages recovered before the holidays",
        "示例新闻{n}（虚构）：节前集中清理欠薪案件",
    ),
]
PRESS_SENTENCES = [
    (
        "In {year} the {court} accepted {count} enforcement cases and concluded {count2}.",
        "{year}年，{court}受理执行案件{count}件，执结{count2}件。",
    ),
    (
        "The amount recovered reached RMB {amount}, up {percent}% on the previous year.",
        "执行到位金额{amount}元，同比增长{percent}%。",
    ),
    (
        "Judges and officers held {count} coordination meetings with district governments.",
        "法官和执行干警与区政府召开协调会{count}次。",
    ),
    ("The average time to conclude a case fell to {days} days.", "平均结案用时缩短至{days}天。"),
    (
        "A hotline now answers questions from parties about the progress of their cases.",
        "热线电话现可解答当事人关于案件进展的询问。",
    ),
    (
        "The campaign targeted debtors who transfer assets to relatives or related companies.",
        "专项行动重点打击向亲属或关联公司转移财产的被执行人。",
    ),
    (
        "{count} people were included in the list of dishonest persons subject to enforcement, "
        "and {count2} were removed after paying.",
        "{count}人被纳入失信被执行人名单，{count2}人履行后被移出。",
    ),
    (
        "Online auctions sold property worth RMB {amount}, and the average premium was {percent}%.",
        "网络司法拍卖成交金额{amount}元，平均溢价率{percent}%。",
    ),
    (
        "The court restricted {count} people from leaving the country for failing to pay.",
        "法院对{count}名未履行义务的被执行人限制出境。",
    ),
    (
        "Banks in {place} agreed to answer enquiries about accounts within one working day.",
        "{place}辖区银行承诺在一个工作日内答复账户查询。",
    ),
    (
        "Visitors watched enforcement officers at work and tried the mobile enforcement app.",
        "来访者观摩执行干警工作，并体验移动执行平台。",
    ),
    (
        "Migrant workers received RMB {small} in unpaid wages, and {count} employers paid after "
        "talks.",
        "农民工领取欠薪{small}元，{count}家用人单位经约谈后支付工资。",
    ),
    (
        "The court will publish typical cases every quarter to explain the law to the public.",
        "法院将每季度发布典型案例，向社会释法说理。",
    ),
    (
        "Training for {count} officers covered evidence, safety on site and respect for parties' "
        "rights.",
        "{count}名执行干警参加培训，内容涵盖取证、现场安全和当事人权利保障。",
    ),
    (
        "Cases involving {cause} made up {percent}% of new filings.",
        "涉{cause}案件占新收案件的{percent}%。",
    ),
    (
        "A cooperation agreement with the police helps to locate debtors who hide.",
        "与公安机关签订的合作协议有助于查找下落不明的被执行人。",
    ),
    (
        "The detention of {count} debtors for obstruction was announced as a warning.",
        "法院通报了{count}名被执行人因妨碍执行被司法拘留的情况，以儆效尤。",
    ),
    (
        "Judicial assistance requests from other provinces rose to {count}.",
        "外省法院委托的司法协助事项增至{count}件。",
    ),
]
EN_SECTIONS = ("Basic facts", "Enforcement", "Typical significance")
ZH_SECTIONS = ("基本案情", "执行情况", "典型意义")


def _amount(rng: random.Random, low: int, high: int) -> int:
    # Round-ish amounts, more small ones than large ones (log-uniform).
    value = int(10 ** rng.uniform(low, high))
    return max(1000, value - value % 1000)


def _date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))


class _Story:
    """The facts of one case or release, filled into English and Chinese templates alike."""

    def __init__(self, rng: random.Random, labels: dict[str, dict[str, str]], year: int) -> None:
        self.rng = rng
        self.labels = labels
        word, trade, form = rng.choice(NAME_WORDS), rng.choice(TRADES), rng.choice(COMPANY_FORMS)
        other_word, other_trade = rng.choice(NAME_WORDS), rng.choice(TRADES)
        surname, person = rng.choice(SURNAMES), rng.choice(SURNAMES)
        self.names = {
            "applicant": (f"Demo {word[0]} {trade[0]} {form[0]} (fictional)",
                          f"示例{word[1]}{trade[1]}{form[1]}（虚构）")
            if rng.random() < 0.7 else (f"Demo person {surname[0]} (fictional)",
                                        f"示例当事人{surname[1]}某（虚构）"),
            "respondent": (f"Demo {other_word[0]} {other_trade[0]} Co., Ltd (fictional)",
                           f"示例{other_word[1]}{other_trade[1]}有限公司（虚构）"),
            "person": (f"Demo debtor {person[0]} (fictional)",
                       f"示例被执行人{person[1]}某（虚构）"),
        }  # fmt: skip
        self.year = year

    def fill(self, pair: tuple[str, str], lang: str, **extra: object) -> str:
        rng = self.rng
        index = 0 if lang == "en" else 1
        template = pair[index]
        date = _date(rng, self.year)
        place = rng.choice(PLACES)
        values = {
            **{key: value[index] for key, value in self.names.items()},
            "court": self.labels["court"][lang],
            "cause": self.labels["cause"][lang],
            "reason": rng.choice(REASONS)[index],
            "property": rng.choice(PROPERTY)[index],
            "place": place[index],
            "date": f"{date:%d %B %Y}".lstrip("0") if lang == "en" else
                    f"{date.year}年{date.month}月{date.day}日",
            "amount": _amount(rng, 4.5, 7.5),
            "small": _amount(rng, 3.5, 5.5),
            "number": rng.randint(1, 999),
            "months": rng.randint(2, 24),
            "days": rng.randint(3, 15),
            "count": rng.randint(5, 900),
            "count2": rng.randint(5, 900),
            "percent": round(rng.uniform(1, 40), 1),
            "year": self.year,
            **extra,
        }  # fmt: skip
        if lang == "en":
            values.update(amount=f"{values['amount']:,}", small=f"{values['small']:,}")
        return template.format(**values)


def _case_paragraphs(story: _Story, measures: list[str]) -> dict[str, list[str]]:
    """The three sections of a case in both languages, the same facts in each."""
    rng = story.rng
    chosen = [
        [rng.choice(OPENINGS), *rng.sample(DEFAULTS, rng.randint(1, 2))],
        [*rng.sample(FINDINGS, rng.randint(1, 2)),
         *(rng.choice(MEASURES[m]) for m in measures if m in MEASURES),
         rng.choice(OUTCOMES)],
        rng.sample(SIGNIFICANCE, rng.randint(1, 2)),
    ]  # fmt: skip
    # Each pair is filled once per language with the same random draws.
    result: dict[str, list[str]] = {"en": [], "zh": []}
    for section in chosen:
        _add_paragraph(story, section, result)
    return result


def _add_paragraph(story: _Story, pairs: Any, result: dict[str, list[str]]) -> None:
    """One paragraph in both languages from these sentence pairs, with the same fillers."""
    rng = story.rng
    texts: dict[str, list[str]] = {"en": [], "zh": []}
    for pair in pairs:
        state = rng.getstate()
        texts["en"].append(story.fill(pair, "en"))
        rng.setstate(state)
        texts["zh"].append(story.fill(pair, "zh"))
    result["en"].append(" ".join(texts["en"]))
    result["zh"].append("".join(texts["zh"]))


def _press_paragraphs(story: _Story, count: int) -> dict[str, list[str]]:
    """A release's paragraphs: a handful of the pool's sentences, none twice."""
    rng = story.rng
    pairs = rng.sample(PRESS_SENTENCES, rng.randint(count + 1, 2 * count + 1))
    cuts = sorted(rng.sample(range(1, len(pairs)), count - 1))
    result: dict[str, list[str]] = {"en": [], "zh": []}
    for start, end in zip([0, *cuts], [*cuts, len(pairs)], strict=True):
        _add_paragraph(story, pairs[start:end], result)
    return result


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
    for start in range(0, cases, CASES_PER_COLLECTION):
        year = 2015 + (start // CASES_PER_COLLECTION) % 10
        key = f"demo-{year}-{start // CASES_PER_COLLECTION + 1:05d}"
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
            labels = {"court": vocabulary["courts"][court], "cause": vocabulary["causes"][cause]}
            story = _Story(rng, labels, year)
            paragraphs = _case_paragraphs(story, measures)
            respondent = story.names["respondent"]
            for lang in ("en", "zh"):
                sections = ZH_SECTIONS if lang == "zh" else EN_SECTIONS
                body = "".join(
                    f"\n## {s}\n\n{p}\n" for s, p in zip(sections, paragraphs[lang], strict=True)
                )
                cause_label = labels["cause"][lang]
                title = (f"示例{number}号案：{respondent[1]}{cause_label}执行案" if lang == "zh"
                         else f"Demo case {number}: enforcement against {respondent[0]} "
                              f"({cause_label})")  # fmt: skip
                parties = (f"{story.names['applicant'][0]} v. {respondent[0]}" if lang == "en"
                           else f"{story.names['applicant'][1]}诉{respondent[1]}")  # fmt: skip
                _write(out / "cases" / key / f"{number:02d}-case.{lang}.md",
                       {"title": title, "parties": parties, "number": number,
                        "court": court, "cause": cause, "category": category, "year": year,
                        "measures": measures}, body)  # fmt: skip
    for index in range(press):
        date = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))
        slug = f"demo-release-{index + 1:05d}"
        labels = {"court": vocabulary["courts"][rng.choice(keys["courts"])],
                  "cause": vocabulary["causes"][rng.choice(keys["causes"])]}  # fmt: skip
        story = _Story(rng, labels, date.year)
        title_pair = rng.choice(PRESS_TITLES)
        paragraphs = _press_paragraphs(story, rng.randint(3, 6))
        for lang in ("en", "zh"):
            title = story.fill(title_pair, lang, n=index + 1)
            _write(out / "content/press" / str(date.year) / f"{slug}.{lang}.md",
                   {"title": title, "date": date, "summary": paragraphs[lang][0][:200]},
                   "\n\n".join(paragraphs[lang]) + "\n")  # fmt: skip


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
