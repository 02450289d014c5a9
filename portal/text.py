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


# Vietnamese alphabetical order (CLDR "vi", as PostgreSQL's ICU collation `vi-x-icu` sorts):
# ă, â, đ, ê, ô, ơ, ư are letters of their own, after a, a, d, e, o, o, u; the tones weigh only
# when the letters are equal, in the order ngang, huyền, hỏi, ngã, sắc, nặng; then lower case
# before upper. Spaces sort before punctuation, punctuation before digits, digits before letters.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {"\u0306": "ă", "\u0302": "â", "\u031b": "ơ"}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_MARKED = {("a", "ă"): "ă", ("a", "â"): "â", ("e", "â"): "ê", ("o", "â"): "ô"}
_MARKED |= {("o", "ơ"): "ơ", ("u", "ơ"): "ư"}


def _primary(char: str) -> tuple[int, int]:
    lower = char.casefold()
    if lower in _ALPHABET:
        return (4, _ALPHABET.index(lower))
    if char.isdigit():
        return (3, int(char) if char.isdecimal() else ord(char))
    category = unicodedata.category(char)
    if category.startswith("Z") or char.isspace():
        return (0, ord(char))
    if category.startswith(("P", "S")):
        return (1, ord(char))
    return (5, ord(lower))  # letters of other scripts, after the Vietnamese ones


def vietnamese_key(value: str | None) -> tuple[tuple, tuple, tuple]:
    """A sort key putting names in Vietnamese order: "Bảo" < "Bình" < "Đồng", "Hoàng Đức" <
    "Hoàng Văn" — the order of the database's name columns (the migration
    portal/0010_vietnamese_collation), for SQLite and for lists sorted in Python."""
    letters: list[list] = []  # [base letter, tone, upper case]
    for char in unicodedata.normalize("NFD", value or ""):
        if letters and char in _LETTER_MARKS:
            base = letters[-1][0]
            letters[-1][0] = _MARKED.get((base.casefold(), _LETTER_MARKS[char]), base)
        elif letters and char in _TONES:
            letters[-1][1] = _TONES[char]
        elif unicodedata.category(char) != "Mn":
            letters.append([char, 0, char != char.casefold()])
    return (
        tuple(_primary(base) for base, _, _ in letters),
        tuple(tone for _, tone, _ in letters),
        tuple(upper for _, _, upper in letters),
    )
