"""Fixed-width masks (DESIGN §4): the mask's length never reveals the value's length."""


def mask_id(value: str | None) -> str:
    if not value:
        return ""
    return f"{value[:3]}*****{value[-3:]}"


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    return f"{value[:3]}****{value[-4:]}"


def mask_account(value: str | None) -> str:
    if not value:
        return ""
    return f"**** {value[-4:]}"
