"""The individual number (個人番号, "My Number") must never be collected or kept by a city app:
this finds one in any text, so that inputs carrying one are refused and logs redact it. Pure.

A number is twelve digits whose last is the check digit of the Cabinet Order (番号法施行令
第8条): with P(n) the n-th of the first eleven digits counted from the right, and Q(n) = n + 1
for n ≤ 6 and n − 5 for n ≥ 7, the check digit is 11 − (Σ P(n)·Q(n) mod 11), or 0 when that
remainder is 0 or 1.

How it is looked for, so that no way of typing one gets past:
- The text is normalised first: format characters (zero-width spaces and joiners, soft hyphens,
  byte-order marks) are removed, then NFKC turns full-width digits and punctuation into ASCII.
- Digits come in groups joined by any run of separators: white space (spaces, tabs, newlines),
  any punctuation (hyphens and dashes of every kind, dots, commas, slashes, ・, brackets) and
  ー, − and ~. Not the colon, so a time does not join the digits around it ("10:00").
- A chain of such groups is read group by group: any consecutive groups holding twelve digits in
  all that pass the check are a number, so digits added before or after ("1234 5678 9012 0"),
  or another field's digits read with it, do not hide one. A run of more than twelve digits with
  no separator is not one (a barcode, an account number).
- Letters next to the digits do not hide one ("No123456789018", "ID:…", "MyNumber…"). Only in an
  input that carries a token this service issued itself (`tokens=True`: a check-in code, an
  e-mail confirmation key; see core.privacy) are the digits part of the token: there only a
  bare number, the whole input, is one (a signed code is made of numbered parts and a MAC).
- Dates written with separators ("2026-12-03", "2026/12/03") are not read as digits: a date
  range would otherwise join two dates into twelve digits. Nor are UUIDs, hexadecimal hashes of
  32 characters or more and password hashes: shapes a machine writes, not a person typing. A chain
  after "+81" is a Japanese telephone number in international form ("+81 90-1234-5678").
"""

import re
import unicodedata
from collections.abc import Iterator

REDACTED = "[個人番号を削除]"
DIGITS = 12


def _separator_table() -> dict[int, str]:
    """Every character that may stand between digit groups, mapped to a space (one for one, so
    positions in the text stay where they were)."""
    table = {}
    for code in range(0x10000):  # the Basic Multilingual Plane: where punctuation people type lives
        character = chr(code)
        category = unicodedata.category(character)
        if (category.startswith(("P", "Z")) or character.isspace()) and character != ":":
            table[code] = " "
    for character in "ー−~〜～":
        table[ord(character)] = " "
    return table


_SEPARATORS = _separator_table()
_FORMAT_CHARACTERS = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x10000) if unicodedata.category(chr(c)) == "Cf") + "]"
)
ANY_DIGIT = re.compile(r"\d")  # Unicode digits: full-width ones too
# Shapes a person does not type a number into, read as letters: a UUID, a long hexadecimal hash,
# a password hash as Django writes it (algorithm$…$salt$hash).
_ISSUED_SHAPES = re.compile(
    r"(?<![0-9A-Za-z])(?:[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}"
    r"|(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{32,})(?![0-9A-Za-z])"
    r"|(?<![0-9A-Za-z_])(?:pbkdf2_sha256|pbkdf2_sha1|argon2|bcrypt_sha256|bcrypt|scrypt|md5|sha1)\$\S+"
)
_CHAIN = re.compile(r"[0-9]+(?: +[0-9]+)*")
_GROUP = re.compile(r"[0-9]+")
_DATE = re.compile(
    r"(?<![0-9])(?:19|20)[0-9]{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
)


def check_digit(first_eleven: str) -> int:
    total = 0
    for n, digit in enumerate(reversed(first_eleven), start=1):
        total += int(digit) * (n + 1 if n <= 6 else n - 5)
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_individual_number(digits: str) -> bool:
    """Twelve ASCII digits whose last is the check digit of the first eleven."""
    return (
        len(digits) == DIGITS
        and digits.isascii()
        and digits.isdigit()
        and int(digits[11]) == check_digit(digits[:11])
    )


def normalised(text: str) -> str:
    """Format characters removed, then NFKC (full-width digits and punctuation to ASCII)."""
    return unicodedata.normalize("NFKC", _FORMAT_CHARACTERS.sub("", text))


def _too_few_digits(text: str) -> bool:
    """The cheap answer for most texts: fewer than twelve digits of any kind cannot hold one."""
    return len(ANY_DIGIT.findall(text)) < DIGITS


def _spans(text: str, *, tokens: bool) -> Iterator[tuple[int, int, str]]:
    """(start, end, digits) of each number in the normalised text (its callers skip a text with
    fewer than twelve digits first)."""
    probe = _ISSUED_SHAPES.sub(lambda shape: "x" * len(shape.group()), text)
    probe = _DATE.sub(lambda date: "x" * len(date.group()), probe).translate(_SEPARATORS)
    for chain in _CHAIN.finditer(probe):
        start, end = chain.span()
        if probe[max(0, start - 3) : start] == "+81" or probe[max(0, start - 4) : start] == "+81 ":
            continue
        if tokens and probe[:start].strip() + probe[end:].strip():
            continue  # a token's digits, among its other parts: only a bare number is refused
        groups = [(start + g.start(), start + g.end()) for g in _GROUP.finditer(chain.group())]
        for first in range(len(groups)):
            digits = ""
            for last in range(first, len(groups)):
                digits += probe[groups[last][0] : groups[last][1]]
                if len(digits) >= DIGITS:
                    if len(digits) == DIGITS and is_individual_number(digits):
                        yield groups[first][0], groups[last][1], digits
                    break


def find_individual_numbers(text: str, *, tokens: bool = False) -> list[str]:
    """Every individual number in the text, as twelve ASCII digits."""
    if _too_few_digits(text):
        return []
    return [digits for _start, _end, digits in _spans(normalised(text), tokens=tokens)]


def contains_individual_number(text: str, *, tokens: bool = False) -> bool:
    if _too_few_digits(text):
        return False
    return next(_spans(normalised(text), tokens=tokens), None) is not None


def redact(text: str) -> str:
    """The text with every individual number replaced (normalised where one was found)."""
    if _too_few_digits(text):
        return text
    clean = normalised(text)
    pieces, cursor = [], 0
    for start, end, _digits in _spans(clean, tokens=False):
        if start < cursor:
            continue  # overlaps the one just redacted
        pieces.append(clean[cursor:start])
        pieces.append(REDACTED)
        cursor = end
    if not pieces:
        return text
    pieces.append(clean[cursor:])
    return "".join(pieces)
