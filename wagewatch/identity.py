"""Make valid ID numbers and USCC codes (demo data, factories, benchmarks)."""
import random
from datetime import date

from wagewatch.validators import USCC_ALPHABET, id_check_char, uscc_check_char


def make_id_number(rng: random.Random, region_code: str = "650102", birth: date | None = None,
                   gender: str | None = None) -> str:
    birth = birth or date(rng.randint(1965, 2003), rng.randint(1, 12), rng.randint(1, 28))
    sequence = rng.randint(0, 99)
    sex_digit = rng.choice("13579" if gender == "M" else "02468" if gender == "F" else "0123456789")
    first17 = f"{region_code}{birth:%Y%m%d}{sequence:02d}{sex_digit}"
    return first17 + id_check_char(first17)


def make_uscc(rng: random.Random, region_code: str = "650102", kind: str = "91") -> str:
    """kind: 91 a company, 11 a government body, 12 a public institution."""
    body = "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    first17 = f"{kind}{region_code}{body}"
    return first17 + uscc_check_char(first17)
