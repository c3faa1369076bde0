"""The individual number (個人番号, "My Number") must never be collected or kept by a city app:
this finds one in any text, so that inputs carrying one are refused and logs redact it. Pure.

A number is twelve digits whose last is the check digit of the Cabinet Order (番号法施行令
第8条): with P(n) the n-th of the first eleven digits counted from the right, and Q(n) = n + 1
for n ≤ 6 and n − 5 for n ≥ 7, the check digit is 11 − (Σ P(n)·Q(n) mod 11), or 0 when that
remainder is 0 or 1. Digits are found in full-width as well as ASCII form, and in the groups
people type them in ("1234 5678 9012", "1234-5678-9012"), but not inside a longer code of
ASCII letters and digits (a hash, a token, a signature).
"""

import re
import unicodedata

# Twelve digits, optionally in groups separated by one space or hyphen, not inside a longer run
# of digits nor inside a code of letters and digits (a hex or base64 token is not a number anyone
# typed; text in Japanese around a number is).
_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])([0-9](?:[ \-]?[0-9]){11})(?![0-9A-Za-z])")
_SEPARATORS = re.compile(r"[ \-]")
REDACTED = "[個人番号を削除]"


def check_digit(first_eleven: str) -> int:
    total = 0
    for n, digit in enumerate(reversed(first_eleven), start=1):
        total += int(digit) * (n + 1 if n <= 6 else n - 5)
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_individual_number(digits: str) -> bool:
    """Twelve ASCII digits whose last is the check digit of the first eleven."""
    return (
        len(digits) == 12
        and digits.isascii()
        and digits.isdigit()
        and int(digits[11]) == check_digit(digits[:11])
    )


def _normalised(text: str) -> str:
    # NFKC turns full-width digits and hyphen-likes into ASCII; the length may change, so spans
    # found here are only used on the normalised text.
    return unicodedata.normalize("NFKC", text).replace("‐", "-").replace("−", "-").replace("ー", "-")


def find_individual_numbers(text: str) -> list[str]:
    """Every individual number in the text, as twelve ASCII digits."""
    found = []
    for match in _CANDIDATE.finditer(_normalised(text)):
        digits = _SEPARATORS.sub("", match.group(1))
        if is_individual_number(digits):
            found.append(digits)
    return found


def contains_individual_number(text: str) -> bool:
    return bool(find_individual_numbers(text))


def redact(text: str) -> str:
    """The text with every individual number replaced (normalised to NFKC where one was found)."""
    normalised = _normalised(text)
    spans = []
    for match in _CANDIDATE.finditer(normalised):
        if is_individual_number(_SEPARATORS.sub("", match.group(1))):
            spans.append((match.start(1), match.end(1)))
    if not spans:
        return text
    pieces, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        pieces.append(normalised[cursor:start])
        pieces.append(REDACTED)
        cursor = end
    pieces.append(normalised[cursor:])
    return "".join(pieces)
