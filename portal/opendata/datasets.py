"""The open datasets: one serialiser per dataset, used by the JSON API, the CSV and JSON
downloads, the catalogue's data dictionary and the OpenAPI schemas.

A record carries both languages in its fields (`title_en`, `title_zh`); the registers (dishonest
debtors, victims of fund-raising crimes) appear only as aggregates, never record by record.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from portal.db.court_day import COURT_TIMEZONE
from portal.opendata.csv_text import csv_text
from portal.text.languages import LANGUAGE_CODES
from portal.text.times import data_time
from portal.victims.records import yuan

# A listing exported as CSV holds at most this many rows (the API says so in X-Row-Limit).
CSV_ROW_LIMIT = 10_000
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
# The controlled vocabularies DCAT-AP asks for: media types, file types and data themes.
IANA_MEDIA_TYPES = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
EU_DATA_THEMES = "http://publications.europa.eu/resource/authority/data-theme/"  # JUST: justice
# Who publishes the data, as catalogues and search engines name it, and its vocabulary key: the
# catalogue's contact point is that court's published contact details.
PUBLISHER = {"en": "Shanghai High People's Court", "zh": "上海市高级人民法院"}
PUBLISHER_COURT = "shanghai-high"
# Where the data is about: every dataset is of the Shanghai courts (GeoNames' Shanghai).
SPATIAL_COVERAGE = "http://sws.geonames.org/1796236/"
# The formats every dataset is downloaded in, with their media types.
DOWNLOAD_FORMATS = {"csv": "text/csv", "json": "application/json"}

# page_url(endpoint, **values) -> the absolute URL of a page or API resource; given by the web app.
PageUrl = Callable[..., str]


@dataclass(frozen=True)
class Field:
    """One field of a dataset's records: its name, JSON type and meaning in both languages."""

    name: str
    type: str  # string | integer | number | boolean | array
    en: str
    zh: str
    format: str | None = None  # date | date-time | uri
    nullable: bool = False

    def json_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": [self.type, "null"] if self.nullable else self.type}
        if self.type == "array":
            schema["items"] = {"type": "string"}
        if self.format:
            schema["format"] = self.format
        schema["description"] = self.en
        return schema


def _bilingual(name: str, type_: str, en: str, zh: str, **options: Any) -> list[Field]:
    """`name_en` and `name_zh`: the field in each language, null where there is no version."""
    names = {"en": ("English", "英文"), "zh": ("Chinese", "中文")}
    return [
        Field(
            f"{name}_{lang}",
            type_,
            f"{en} ({names[lang][0]}; null if there is no {names[lang][0]} version)",
            f"{zh}（{names[lang][1]}；无{names[lang][1]}版本时为空）",
            nullable=True,
            **options,
        )
        for lang in LANGUAGE_CODES
    ]


@dataclass(frozen=True)
class Dataset:
    """A dataset of the catalogue: what it is, its fields, and how a record is made."""

    key: str
    title_en: str
    title_zh: str
    description_en: str
    description_zh: str
    fields: tuple[Field, ...]
    in_catalogue: bool = True
    # Words a catalogue's search finds it by, as (English, Chinese) pairs.
    keywords: tuple[tuple[str, str], ...] = ()

    def field_names(self) -> list[str]:
        return [field.name for field in self.fields]

    def json_schema(self) -> dict[str, Any]:
        """The JSON Schema of one record, for the OpenAPI document."""
        return {
            "type": "object",
            "description": self.description_en,
            "properties": {field.name: field.json_schema() for field in self.fields},
            "required": self.field_names(),
            "additionalProperties": False,
        }


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return data_time(value)
    return value.isoformat()


def _latest(versions: Mapping[str, Any]) -> str | None:
    return _iso(max(version.updated_at for version in versions.values()))


def _first(versions: Mapping[str, Any]) -> Any:
    return next(iter(versions.values()))


def _per_language(versions: Mapping[str, Any], name: str, attribute: str) -> dict[str, Any]:
    return {
        f"{name}_{lang}": getattr(versions[lang], attribute) if lang in versions else None
        for lang in LANGUAGE_CODES
    }


# Press releases

PRESS_RELEASES = Dataset(
    key="press-releases",
    keywords=(("press releases", "新闻发布"), ("court enforcement", "法院执行")),
    title_en="Press releases",
    title_zh="新闻发布",
    description_en="The court's press releases on its enforcement work, one record per release "
    "with every language version's title, summary and full text.",
    description_zh="法院关于执行工作的新闻发布，每条发布一条记录，含各语言版本的标题、摘要和全文。",
    fields=(
        Field("id", "string", "Identifier: <year>/<slug>", "标识：<年份>/<短名>"),
        Field("year", "integer", "Year of the release", "发布年份"),
        Field("slug", "string", "Short name in the release's URL", "网址中的短名"),
        Field("date", "string", "Date of the release", "发布日期", format="date"),
        Field("languages", "array", "Languages it is published in", "已发布的语言"),
        *_bilingual("title", "string", "Title", "标题"),
        *_bilingual("summary", "string", "Summary", "摘要"),
        *_bilingual("body_html", "string", "Full text, as HTML", "全文（HTML）"),
        Field("tags", "array", "Subject tags", "主题标签"),
        Field(
            "collections",
            "array",
            "Typical-case collections released with it",
            "同时发布的典型案例集",
        ),
        Field(
            "sample_translations",
            "array",
            "Languages whose version is a sample translation made for this portal, not the "
            "court's text",
            "由本平台制作、非法院原文的示例译文语言",
        ),
        *_bilingual("url", "string", "Web page", "网页", format="uri"),
        Field(
            "updated_at",
            "string",
            "Last change on this portal",
            "本平台最后更新时间",
            format="date-time",
        ),
    ),
)


def press_release_record(versions: Mapping[str, Any], page_url: PageUrl) -> dict[str, Any]:
    """One release, all its language versions, as a record of PRESS_RELEASES."""
    first = _first(versions)
    record = {
        "id": first.item_key,
        "year": first.year,
        "slug": first.slug,
        "date": _iso(first.date),
        "languages": [lang for lang in LANGUAGE_CODES if lang in versions],
        **_per_language(versions, "title", "title"),
        **_per_language(versions, "summary", "summary"),
        **_per_language(versions, "body_html", "body_html"),
        "tags": list(first.tags),
        "collections": list(first.collections),
        "sample_translations": [
            lang
            for lang in LANGUAGE_CODES
            if lang in versions and versions[lang].sample_translation
        ],
        **{
            f"url_{lang}": page_url("press.release", lang=lang, year=first.year, slug=first.slug)
            if lang in versions
            else None
            for lang in LANGUAGE_CODES
        },
        "updated_at": _latest(versions),
    }
    return record


# Typical cases

CASES = Dataset(
    key="cases",
    keywords=(("typical cases", "典型案例"), ("enforcement measures", "执行措施"), ("court enforcement", "法院执行")),
    title_en="Typical cases",
    title_zh="典型案例",
    description_en="Typical enforcement cases released by the court, one record per case with "
    "its court, cause of action, category, year and enforcement measures as vocabulary keys.",
    description_zh="法院发布的执行典型案例，每个案例一条记录，法院、案由、类别和执行措施以词表键值表示。",
    fields=(
        Field("id", "string", "Identifier: <collection>/<slug>", "标识：<案例集>/<短名>"),
        Field("collection", "string", "Key of the collection it belongs to", "所属案例集的键"),
        Field("slug", "string", "Short name in the case's URL", "网址中的短名"),
        Field("number", "integer", "Number in its collection", "在案例集中的序号"),
        Field("year", "integer", "Year of the collection", "案例集年份"),
        Field("court", "string", "Court (key of the vocabulary's courts)", "法院（词表 courts 的键）"),
        Field("cause", "string", "Cause of action (key of causes)", "案由（词表 causes 的键）"),
        Field("category", "string", "Category (key of categories)", "类别（词表 categories 的键）"),
        Field("measures", "array", "Enforcement measures (keys of measures)", "执行措施（词表 measures 的键）"),
        Field("case_number", "string", "The court's case number", "案号", nullable=True),
        Field("languages", "array", "Languages it is published in", "已发布的语言"),
        *_bilingual("title", "string", "Title", "标题"),
        *_bilingual("parties", "string", "Parties", "当事人"),
        *_bilingual("body_html", "string", "Facts, enforcement and significance, as HTML", "案情、执行情况和典型意义（HTML）"),
        *_bilingual("url", "string", "Web page", "网页", format="uri"),
        Field("updated_at", "string", "Last change on this portal", "本平台最后更新时间", format="date-time"),
    ),
)  # fmt: skip


def case_record(versions: Mapping[str, Any], page_url: PageUrl) -> dict[str, Any]:
    """One case, all its language versions, as a record of CASES."""
    first = _first(versions)
    return {
        "id": first.item_key,
        "collection": first.collection,
        "slug": first.slug,
        "number": first.number,
        "year": first.year,
        "court": first.court,
        "cause": first.cause,
        "category": first.category,
        "measures": list(first.measures),
        "case_number": first.case_number,
        "languages": [lang for lang in LANGUAGE_CODES if lang in versions],
        **_per_language(versions, "title", "title"),
        **_per_language(versions, "parties", "parties"),
        **_per_language(versions, "body_html", "body_html"),
        **{
            f"url_{lang}": page_url(
                "cases.case", lang=lang, collection=first.collection, slug=first.slug
            )
            if lang in versions
            else None
            for lang in LANGUAGE_CODES
        },
        "updated_at": _latest(versions),
    }


# Vocabularies

VOCABULARY_KIND_NAMES = ("courts", "causes", "categories", "measures")

VOCABULARIES = Dataset(
    key="vocabularies",
    keywords=(("courts", "法院"), ("causes of action", "案由"), ("controlled vocabulary", "词表")),
    title_en="Vocabularies",
    title_zh="词表",
    description_en="The courts, causes of action, categories and enforcement measures that "
    "typical cases refer to by key, with their names in both languages.",
    description_zh="典型案例以键值引用的法院、案由、类别和执行措施，含中英文名称。",
    fields=(
        Field("kind", "string", "Kind: courts, causes, categories or measures", "种类：courts、causes、categories 或 measures"),
        Field("key", "string", "Key, as cases use it", "键（案例中使用的值）"),
        Field("label_en", "string", "Name in English", "英文名称"),
        Field("label_zh", "string", "Name in Chinese", "中文名称"),
        Field("position", "integer", "Order within its kind", "在该种类中的顺序"),
    ),
)  # fmt: skip


def vocabulary_records(terms: Iterable[Any]) -> list[dict[str, Any]]:
    """The vocabulary as records of VOCABULARIES, from its Term rows (one per language)."""
    records: dict[tuple[str, str], dict[str, Any]] = {}
    for term in terms:
        record = records.setdefault(
            (term.kind, term.key),
            {"kind": term.kind, "key": term.key, "label_en": "", "label_zh": "", "position": 0},
        )
        record[f"label_{term.lang}"] = term.label
        record["position"] = term.position
    kind_order = {kind: n for n, kind in enumerate(VOCABULARY_KIND_NAMES)}
    return sorted(records.values(), key=lambda r: (kind_order.get(r["kind"], 99), r["position"]))


# Enforcement statistics

STATISTICS = Dataset(
    key="statistics",
    keywords=(("statistics", "统计"), ("court enforcement", "法院执行"), ("annual report", "年度通报")),
    title_en="Enforcement statistics",
    title_zh="执行工作统计",
    description_en="The figures of the court's annual enforcement report, each with the sentence "
    "of the press release it is quoted from; figures of an earlier year that the release gives "
    "only as a growth rate are derived and marked so.",
    description_zh="法院年度执行工作通报中的数字，每项均附所引用的新闻发布原句；"
    "通报中仅以增长率给出的上一年度数字为推算值，并予标明。",
    fields=(
        Field("key", "string", "What is counted", "统计项目的键"),
        Field("year", "integer", "Year the figure is for", "所属年份"),
        Field("group", "string", "Group of figures it is shown with", "所属分组"),
        Field("value", "integer", "Value, in the unit", "数值（按单位）"),
        Field("unit", "string", "Unit: cases, people, materials or yuan", "单位：cases（件）、people（人）、materials（份）或 yuan（元）"),
        Field("qualifier", "string", "How exact: exact, more-than, nearly or about (derived)", "精确程度：exact（确数）、more-than（余）、nearly（近）或 about（约，推算）"),
        Field("label_en", "string", "What is counted, in English", "英文说明"),
        Field("label_zh", "string", "What is counted, in Chinese", "中文说明"),
        Field("change_percent", "number", "Change on the year before, in percent, as the release states it", "同比变化（百分比，依新闻发布）", nullable=True),
        Field("derived", "boolean", "True if computed from a growth rate rather than stated", "是否由增长率推算而非直接发布"),
        Field("formula", "string", "How a derived figure is computed", "推算公式", nullable=True),
        Field("sentence", "string", "The sentence of the press release (English) it comes from", "所依据的新闻发布原句（英文）"),
        Field("source_url", "string", "The paragraph of the press release (English) it comes from", "所依据的新闻发布段落（英文）", format="uri"),
        Field("sentence_zh", "string", "The sentence of the press release (Chinese) it comes from", "所依据的新闻发布原句（中文）"),
        Field("source_url_zh", "string", "The paragraph of the press release (Chinese) it comes from", "所依据的新闻发布段落（中文）", format="uri"),
        Field("updated_at", "string", "Last change on this portal", "本平台最后更新时间", format="date-time"),
    ),
)  # fmt: skip


def _source_url(figure: Any, lang: str, page_url: PageUrl) -> str:
    _sentence, paragraph, source_lang = figure.source_in(lang)
    return page_url(
        "press.release",
        lang=source_lang,
        year=figure.release_year,
        slug=figure.release_slug,
        _anchor=paragraph,
    )


def statistic_record(figure: Any, page_url: PageUrl) -> dict[str, Any]:
    """One figure as a record of STATISTICS."""
    return {
        "key": figure.key,
        "year": figure.year,
        "group": figure.group,
        "value": figure.value,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "label_en": figure.label_en,
        "label_zh": figure.label_zh,
        "change_percent": figure.change_percent,
        "derived": figure.derived,
        "formula": figure.formula,
        "sentence": figure.sentence,
        "source_url": _source_url(figure, "en", page_url),
        "sentence_zh": figure.source_in("zh")[0],
        "source_url_zh": _source_url(figure, "zh", page_url),
        "updated_at": _iso(figure.updated_at),
    }


# Aggregates of the register of dishonest debtors (counts only; see portal/register_statistics.py)

REGISTER_STATISTICS = Dataset(
    key="register-statistics",
    keywords=(("dishonest persons subject to enforcement", "失信被执行人"), ("statistics", "统计")),
    title_en="List of dishonest persons subject to enforcement: aggregate statistics",
    title_zh="失信被执行人名单汇总统计",
    description_en="How many records are listed, by court, kind of debtor, circumstance and month "
    "of publication, as of the list's latest import. Counts only: no record of any person or "
    "organisation. While the portal holds the fictional demonstration list, every row says so.",
    description_zh="按法院、被执行人类型、失信情形和公布月份统计的在列记录数，截至名单最近一次导入。"
    "仅为数量，不含任何个人或单位的记录。门户载入的是虚构的演示名单时，每一行都注明。",
    fields=(
        Field("dimension", "string", "Counted by: court, kind, circumstance or month", "统计维度：court、kind、circumstance 或 month"),
        Field("key", "string", "Value of the dimension (a court key, kind, circumstance or YYYY-MM)", "维度取值"),
        Field("label_en", "string", "Name in English", "英文名称"),
        Field("label_zh", "string", "Name in Chinese", "中文名称"),
        Field("listed_records", "integer", "Records listed as of as_of (records, not cases)", "截至 as_of 的在列记录条数（记录数，非案件数）"),
        Field("as_of", "string", "When the list was last imported", "名单最近一次导入的时间", format="date-time", nullable=True),
        Field("demonstration", "boolean", "true: counted from the fictional demonstration list, not a real list", "true：按虚构的演示名单统计，并非真实名单"),
    ),
)  # fmt: skip


# Aggregates of the victims' register (per case; see portal/victims/figures.py)

VICTIM_STATISTICS = Dataset(
    key="victim-statistics",
    keywords=(("victims of fund-raising crimes", "集资类犯罪被害人"), ("payout", "清退"), ("statistics", "统计")),
    title_en="Victims of fund-raising crimes: registration and payout statistics by case",
    title_zh="集资类犯罪被害人登记与清退统计（按案件）",
    description_en="For each case with registered victims: how many are registered, in each "
    "status with their claimed and confirmed amounts, and each batch paid (dates, people, "
    "amount, failed payments), as of the victims' register's latest import. Aggregates only: "
    "no record of any person. A figure over fewer than 10 people is withheld (null). While the "
    "portal holds the fictional demonstration register, every row says so.",
    description_zh="每个有被害人登记的案件：登记人数，各登记状态的人数及申报、核定金额，各分配批次"
    "（日期、人数、金额、支付失败笔数），截至被害人登记数据最近一次导入。仅为汇总数，不含任何个人"
    "记录。涉及人数不足10人的数字不予公布（为空）。门户载入的是虚构的演示数据时，每一行都注明。",
    fields=(
        Field("case_key", "string", "The case, as in its notice's URL", "案件（与其公告网址一致）"),
        Field("dimension", "string", "Counted by: registered (all), status, batch or paid (all batches)", "统计维度：registered（全部登记）、status（登记状态）、batch（分配批次）或 paid（全部已付）"),
        Field("key", "string", "Value of the dimension: all, a status, or a batch number (with -supplementary for its supplementary round)", "维度取值：all、登记状态，或批次号（补充分配加 -supplementary）"),
        Field("people", "integer", "People (for a batch: people paid)", "人数（批次：获付人数）", nullable=True),
        Field("claimed_amount", "string", "Claimed, exact yuan (status rows)", "申报金额（元，精确到分；状态行）", nullable=True),
        Field("confirmed_amount", "string", "Confirmed, exact yuan (status rows)", "核定金额（元，精确到分；状态行）", nullable=True),
        Field("paid_amount", "string", "Paid, exact yuan (batch and paid rows)", "已付金额（元，精确到分；批次行和合计行）", nullable=True),
        Field("failed_payments", "integer", "Payments that failed (batch rows)", "支付失败笔数（批次行）", nullable=True),
        Field("first_paid_on", "string", "First day paid (batch rows)", "首个支付日（批次行）", format="date", nullable=True),
        Field("last_paid_on", "string", "Last day paid (batch rows)", "最后支付日（批次行）", format="date", nullable=True),
        Field("as_of", "string", "When the victims' register was last imported", "被害人登记数据最近一次导入的时间", format="date-time", nullable=True),
        Field("demonstration", "boolean", "true: counted from the fictional demonstration register", "true：按虚构的演示数据统计"),
    ),
)  # fmt: skip


def yuan_text(fen: int | None) -> str | None:
    """Whole fen as exact decimal text of yuan ('1234.56'), as the data and the API give it."""
    return None if fen is None else f"{yuan(fen):.2f}"


def victim_statistic_records(
    figures: Iterable[Any], about: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Every case's figures (portal/victims/figures.py CaseFigures) as rows of VICTIM_STATISTICS;
    `about` gives as_of and demonstration."""
    empty = dict.fromkeys(VICTIM_STATISTICS.field_names())
    rows = []
    for case in figures:
        base = {**empty, **about, "case_key": case.case_key}
        rows.append(
            {**base, "dimension": "registered", "key": "all", "people": case.registered_people}
        )
        rows += [
            {
                **base,
                "dimension": "status",
                "key": str(row.status),
                "people": row.people,
                "claimed_amount": yuan_text(row.claimed_fen),
                "confirmed_amount": yuan_text(row.confirmed_fen),
            }
            for row in case.statuses
        ]
        rows += [
            {
                **base,
                "dimension": "batch",
                "key": f"{batch.batch}-supplementary" if batch.supplementary else str(batch.batch),
                "people": batch.people,
                "paid_amount": yuan_text(batch.paid_fen),
                "failed_payments": batch.failed,
                "first_paid_on": _iso(batch.first_paid_on),
                "last_paid_on": _iso(batch.last_paid_on),
            }
            for batch in case.batches
        ]
        rows.append(
            {
                **base,
                "dimension": "paid",
                "key": "all",
                "people": case.paid_people,
                "paid_amount": yuan_text(case.recovered_fen),
            }
        )
    return rows  # fmt: skip


# The changes list (an API listing, not a download)

CHANGE_KINDS = ("press-release", "collection", "case", "page", "statistic", "victim-notice")

CHANGES = Dataset(
    key="changes",
    title_en="Changes",
    title_zh="变更",
    description_en="Items added, changed and removed since a time, oldest first.",
    description_zh="自某一时间以来新增、修改和删除的条目，按时间先后排列。",
    fields=(
        Field("kind", "string", "Kind: " + ", ".join(CHANGE_KINDS), "种类：" + "、".join(CHANGE_KINDS)),
        Field("key", "string", "The item's key, as in its API URL", "条目的键（与其 API 网址一致）"),
        Field("lang", "string", "Language version (null for items in both languages)", "语言版本（双语条目为空）", nullable=True),
        Field("change", "string", "added, changed or removed", "added（新增）、changed（修改）或 removed（删除）"),
        Field("at", "string", "When", "时间", format="date-time"),
    ),
    in_catalogue=False,
)  # fmt: skip


def change_record(kind: str, key: str, lang: str | None, change: str, at: Any) -> dict[str, Any]:
    """One change as a record of CHANGES."""
    return {"kind": kind, "key": key, "lang": lang, "change": change, "at": _iso(at)}


DATASETS: dict[str, Dataset] = {
    dataset.key: dataset
    for dataset in (
        PRESS_RELEASES,
        CASES,
        VOCABULARIES,
        STATISTICS,
        REGISTER_STATISTICS,
        VICTIM_STATISTICS,
        CHANGES,
    )
}


# Formats


def to_json(records: Sequence[Mapping[str, Any]], **extra: Any) -> str:
    """A download or listing as JSON text: UTF-8, Chinese as it is (not \\u escapes)."""
    return json.dumps({**extra, "items": list(records)}, ensure_ascii=False)


def json_download(dataset: Dataset, records: Sequence[Mapping[str, Any]]) -> str:
    """A dataset's JSON download: its key, licence and field names, and its records."""
    return to_json(records, dataset=dataset.key, licence=LICENCE_URL, fields=dataset.field_names())


def json_download_schema(dataset: Dataset, page_url: PageUrl) -> dict[str, Any]:
    """The JSON Schema (2020-12) that the JSON download of `dataset` validates against."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": page_url("data.json_schema", key=dataset.key),
        "title": f"{dataset.title_en} (JSON download)",
        "type": "object",
        "properties": {
            "dataset": {"const": dataset.key},
            "licence": {"const": LICENCE_URL},
            "fields": {"const": dataset.field_names()},
            "items": {"type": "array", "items": dataset.json_schema()},
        },
        "required": ["dataset", "licence", "fields", "items"],
        "additionalProperties": False,
    }


def to_csv(dataset: Dataset, records: Iterable[Mapping[str, Any]]) -> str:
    """Records as CSV, one column a field, by the portal's one CSV writer."""
    names = dataset.field_names()
    return csv_text(names, ([record[name] for name in names] for record in records))


# Reading a dataset whole, for the downloads and the catalogue


def dataset_records(session: Any, key: str, page_url: PageUrl) -> list[dict[str, Any]]:
    """Every record of the dataset `key` (one of DATASETS in the catalogue)."""
    from portal.db import queries
    from portal.debtors.lookup import list_state
    from portal.debtors.statistics import register_aggregates
    from portal.victims.figures import all_case_figures
    from portal.victims.status import register_state

    if key == PRESS_RELEASES.key:
        items = queries.release_items(session).items
        return [press_release_record(versions, page_url) for versions in items]
    if key == CASES.key:
        return [case_record(versions, page_url) for versions in queries.case_items(session).items]
    if key == VOCABULARIES.key:
        return vocabulary_records(queries.vocabulary_terms(session))
    if key == STATISTICS.key:
        return [statistic_record(f, page_url) for f in queries.statistic_figures(session)]
    if key == REGISTER_STATISTICS.key:
        state = list_state(session)
        about = {"as_of": _iso(state and state.as_of), "demonstration": bool(state and state.demo)}
        return [row.__dict__ | about for row in register_aggregates(session)]
    if key == VICTIM_STATISTICS.key:
        victims = register_state(session)
        about = {
            "as_of": _iso(victims and victims.as_of),
            "demonstration": bool(victims and victims.demo),
        }
        return victim_statistic_records(all_case_figures(session).values(), about)
    raise KeyError(key)


def dataset_modified(session: Any, key: str) -> dt.datetime | None:
    """When a dataset last changed; the vocabularies and the live register statistics keep no
    time of their own, so they give the time the published data as a whole last changed."""
    from portal.db import models, queries

    sources = {
        PRESS_RELEASES.key: models.PressRelease,
        CASES.key: models.Case,
        STATISTICS.key: models.StatisticFigure,
    }
    if key in sources:
        return queries.modified(session, sources[key])
    return queries.last_change(session)


def _years(span: tuple[int, int] | None) -> tuple[dt.date, dt.date] | None:
    return span and (dt.date(span[0], 1, 1), dt.date(span[1], 12, 31))


def _until_as_of(start: dt.date | None, state: Any) -> tuple[dt.date, dt.date] | None:
    """A register's period: from `start` to the courts' day of its latest import (its as-of)."""
    if start is None or state is None:
        return None
    return start, state.as_of.astimezone(COURT_TIMEZONE).date()


def dataset_period(session: Any, key: str) -> tuple[dt.date, dt.date] | None:
    """The first and last day the published data of dataset `key` is about (DCAT's temporal
    coverage), in one or two statements; None for the vocabularies, which are about no time."""
    from portal.db import queries
    from portal.debtors.lookup import list_state
    from portal.debtors.statistics import first_listed_month
    from portal.victims.figures import registrations_since
    from portal.victims.status import register_state

    if key == PRESS_RELEASES.key:
        return queries.release_date_range(session)
    if key == CASES.key:
        return _years(queries.case_year_range(session))
    if key == STATISTICS.key:
        return _years(queries.statistic_year_range(session))
    if key == REGISTER_STATISTICS.key:
        return _until_as_of(first_listed_month(session), list_state(session))
    if key == VICTIM_STATISTICS.key:
        return _until_as_of(registrations_since(session), register_state(session))
    return None


def published_datasets(session: Any) -> list[Dataset]:
    """The datasets of the catalogue; a register's only once it has records to count."""
    from portal.debtors.statistics import has_listed_records
    from portal.victims.figures import all_case_figures

    counted = {
        REGISTER_STATISTICS.key: lambda: has_listed_records(session),
        VICTIM_STATISTICS.key: lambda: bool(all_case_figures(session)),
    }
    return [
        dataset
        for dataset in DATASETS.values()
        if dataset.in_catalogue and counted.get(dataset.key, lambda: True)()
    ]


def publisher_contact(session: Any) -> dict[str, str]:
    """The publishing court's published contact details (its filled fields, in English)."""
    from sqlalchemy import select

    from portal.db.models import CourtContact
    from portal.debtors.courts import contact_fields

    contact = session.scalar(
        select(CourtContact).where(CourtContact.court == PUBLISHER_COURT, CourtContact.lang == "en")
    )
    return contact_fields(contact) if contact else {}


def _texts(en: str, zh: str) -> list[dict[str, str]]:
    return [{"@value": en, "@language": "en"}, {"@value": zh, "@language": "zh-Hans"}]


def _telephone_uri(telephone: str) -> str:
    """A telephone number as a tel: URI (RFC 3966: hyphens are its only visual separators)."""
    return "tel:" + "-".join(telephone.replace("(", " ").replace(")", " ").split())


def dcat_contact_point(contact: Mapping[str, str], page_url: PageUrl) -> dict[str, Any]:
    """DCAT-AP's contact point: the publishing court as a vCard organisation, with the portal's
    contact page and whatever of e-mail, telephone and address the court publishes."""
    point: dict[str, Any] = {
        "@type": "vcard:Organization",
        "vcard:fn": _texts(PUBLISHER["en"], PUBLISHER["zh"]),
        "vcard:hasURL": {"@id": page_url("site.contact", lang="en")},
    }
    if "email" in contact:
        point["vcard:hasEmail"] = {"@id": f"mailto:{contact['email']}"}
    if "telephone" in contact:
        point["vcard:hasTelephone"] = {
            "@type": "vcard:Voice",
            "vcard:hasValue": {"@id": _telephone_uri(contact["telephone"])},
        }
    if "address" in contact:
        point["vcard:hasAddress"] = {
            "@type": "vcard:Address",
            "vcard:street-address": contact["address"],
        }
    return point


def _period_of_time(start: dt.date, end: dt.date) -> dict[str, Any]:
    return {
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": {"@value": start.isoformat(), "@type": "xsd:date"},
        "dcat:endDate": {"@value": end.isoformat(), "@type": "xsd:date"},
    }


def dcat_catalogue(
    datasets: Sequence[tuple[Dataset, dt.datetime | None]],
    page_url: PageUrl,
    contact: Mapping[str, str],
    byte_sizes: Mapping[tuple[str, str], int],
    periods: Mapping[str, tuple[dt.date, dt.date] | None],
) -> dict[str, Any]:
    """The catalogue as DCAT-AP in JSON-LD. `contact` is the publisher's published contact
    details; `byte_sizes` gives the size of each (dataset key, format) download known;
    `periods` each dataset's temporal coverage (dataset_period)."""
    licence = {"@id": LICENCE_URL}
    contact_point = dcat_contact_point(contact, page_url)

    def distribution(dataset: Dataset, format_: str, media_type: str) -> dict[str, Any]:
        url = page_url("data.download", key=dataset.key, format=format_)
        size = byte_sizes.get((dataset.key, format_))
        return {
            "@id": url,
            "@type": "dcat:Distribution",
            "dct:title": f"{dataset.title_en} ({format_.upper()})",
            "dct:description": _texts(
                f"The whole dataset as one {format_.upper()} file.",
                f"整个数据集，一个 {format_.upper()} 文件。",
            ),
            "dcat:downloadURL": {"@id": url},
            "dcat:accessURL": {"@id": url},
            "dcat:mediaType": {"@id": IANA_MEDIA_TYPES + media_type},
            "dct:format": {"@id": EU_FILE_TYPES + format_.upper()},
            "dct:license": licence,
            **(
                {"dcat:byteSize": {"@value": str(size), "@type": "xsd:nonNegativeInteger"}}
                if size is not None
                else {}
            ),
            # A CSV download's columns and types are its resource in the data package; a JSON
            # download's shape is its own JSON Schema.
            "dct:conformsTo": {
                "@id": page_url("data.datapackage")
                if format_ == "csv"
                else page_url("data.json_schema", key=dataset.key)
            },
        }

    landing = page_url("data.index", lang="en")
    publisher = {
        "@type": "foaf:Organization",
        "foaf:name": _texts(PUBLISHER["en"], PUBLISHER["zh"]),
    }
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": page_url("data.catalogue"),
        "@type": "dcat:Catalog",
        "dct:title": _texts(
            "Open data of the Enforcement Transparency Portal", "执行公开平台开放数据"
        ),
        "dct:description": _texts(
            "Press releases, typical cases, vocabularies and enforcement statistics of the "
            "Shanghai courts.",
            "上海法院执行工作的新闻发布、典型案例、词表和统计数据。",
        ),
        "dct:publisher": publisher,
        "dct:license": licence,
        "foaf:homepage": {"@id": landing},
        "dcat:service": {
            "@id": page_url("api.index"),
            "@type": "dcat:DataService",
            "dct:title": "JSON API",
            "dcat:endpointURL": {"@id": page_url("api.index")},
            "dcat:endpointDescription": {"@id": page_url("api.openapi")},
        },
        "dcat:dataset": [
            {
                "@id": f"{landing}#dataset-{dataset.key}",
                "@type": "dcat:Dataset",
                "dct:identifier": dataset.key,
                "dct:title": _texts(dataset.title_en, dataset.title_zh),
                "dct:description": _texts(dataset.description_en, dataset.description_zh),
                "dct:license": licence,
                "dct:publisher": publisher,
                "dcat:contactPoint": contact_point,
                "dcat:keyword": [text for en, zh in dataset.keywords for text in _texts(en, zh)],
                "dcat:theme": {"@id": EU_DATA_THEMES + "JUST"},
                "dct:spatial": {"@id": SPATIAL_COVERAGE},
                "dct:language": [
                    {"@id": "http://id.loc.gov/vocabulary/iso639-1/" + c} for c in LANGUAGE_CODES
                ],
                "dcat:landingPage": {"@id": f"{landing}#dataset-{dataset.key}"},
                **(
                    {"dct:modified": {"@value": _iso(changed), "@type": "xsd:dateTime"}}
                    if changed
                    else {}
                ),
                **(
                    {"dct:temporal": _period_of_time(*period)}
                    if (period := periods.get(dataset.key))
                    else {}
                ),
                "dcat:distribution": [
                    distribution(dataset, format_, media_type)
                    for format_, media_type in DOWNLOAD_FORMATS.items()
                ],
            }
            for dataset, changed in datasets
        ],
    }
