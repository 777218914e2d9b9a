"""What the demonstration data of both registers share: plainly fictional names (every one starts
with 示例, "example") and valid fictional identity numbers."""

from __future__ import annotations

import datetime as dt
import random

from portal.registers.identity import (
    CREDIT_CODE_CHARACTERS,
    credit_code_check_character,
    organisation_code_check_character,
    resident_id_check_character,
)

DEMO_NAME_PREFIX = "示例"
# Real Shanghai district codes with the district's basic court, so that the numbers look right.
DISTRICTS = (
    ("310101", "黄浦区", "沪0101"), ("310104", "徐汇区", "沪0104"),
    ("310105", "长宁区", "沪0105"), ("310106", "静安区", "沪0106"),
    ("310107", "普陀区", "沪0107"), ("310109", "虹口区", "沪0109"),
    ("310110", "杨浦区", "沪0110"), ("310112", "闵行区", "沪0112"),
    ("310113", "宝山区", "沪0113"), ("310114", "嘉定区", "沪0114"),
    ("310115", "浦东新区", "沪0115"), ("310116", "金山区", "沪0116"),
    ("310117", "松江区", "沪0117"), ("310118", "青浦区", "沪0118"),
    ("310120", "奉贤区", "沪0120"), ("310151", "崇明区", "沪0151"),
)  # fmt: skip
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国玉萍红志文辉鹏宇浩然晨阳雪梅海燕春林"


def resident_id(rng: random.Random, region: str, birth: dt.date) -> str:
    """A valid fictional resident ID number of someone born in `region` on `birth`."""
    body = f"{region}{birth:%Y%m%d}{rng.randrange(1, 1000):03d}"
    return body + resident_id_check_character(body)


def credit_code(rng: random.Random, region: str) -> str:
    """A valid fictional unified social credit code of a company in `region`."""
    # Registration authority 9 (market regulation), category 1 (company), then the region code
    # and an organisation code with its own check character.
    organisation = "".join(rng.choice(CREDIT_CODE_CHARACTERS) for _ in range(8))
    body = f"91{region}{organisation}{organisation_code_check_character(organisation)}"
    return body + credit_code_check_character(body)
