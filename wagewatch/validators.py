"""Check-digit validators for 居民身份证 (GB 11643), USCC (GB 32100) and mobile numbers.

Each returns None when valid or a Chinese reason when not, so forms and the API share one wording.
"""
import re
from datetime import date

from wagewatch import clock

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
MOBILE = re.compile(r"1[3-9]\d{9}")


def id_check_char(first17: str) -> str:
    return ID_CHECK[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def normalize_id_number(value: str) -> str:
    return value.strip().upper() if isinstance(value, str) else value


def id_number_error(value) -> str | None:
    if not isinstance(value, str):
        return "身份证号必须是字符串"
    value = normalize_id_number(value)
    if len(value) != 18:
        return "身份证号应为18位"
    if not (value[:17].isascii() and value[:17].isdigit()) or value[17] not in "0123456789X":
        return "身份证号只能包含半角数字，最后一位可为X"
    try:
        birth = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号中的出生日期不存在"
    if birth > clock.beijing_today() or birth.year < 1900:
        return "身份证号中的出生日期不合理"
    if id_check_char(value[:17]) != value[17]:
        return "身份证号校验位错误"
    return None


def birth_date_of(id_number: str) -> date:
    return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def gender_of(id_number: str) -> str:
    return "M" if int(id_number[16]) % 2 else "F"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_error(value) -> str | None:
    if not isinstance(value, str):
        return "统一社会信用代码必须是字符串"
    if len(value) != 18:
        return "统一社会信用代码应为18位"
    bad = sorted({c for c in value if c not in USCC_ALPHABET})
    if bad:
        return "统一社会信用代码含有不允许的字符：" + "".join(bad)
    if uscc_check_char(value[:17]) != value[17]:
        return "统一社会信用代码校验位错误"
    return None


def phone_error(value) -> str | None:
    if not isinstance(value, str) or not MOBILE.fullmatch(value):
        return "手机号应为11位大陆手机号码，如13800000000，不带+86"
    return None
