"""Vietnamese text hygiene: NFC normalisation for storage, accent folding for search."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_D = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def normalize_text(value: str | None) -> str:
    """Strip, collapse inner whitespace and compose to NFC; diacritics are kept exactly."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def normalize_multiline(value: str | None) -> str:
    """As normalize_text, line by line: the line breaks of a longer text are kept."""
    if value is None:
        return ""
    lines = unicodedata.normalize("NFC", str(value)).splitlines()
    return "\n".join(normalize_text(line) for line in lines).strip()


def fold(value: str | None) -> str:
    """Lower-case, accent-free form used for search: "ĐỒNG NAI" and "dong nai" fold alike."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # U+00D0 "Ð" (and its lower case "ð") is typed for "Đ" by keyboards and old fonts alike.
    return normalize_text(stripped.translate(_D)).casefold()
