"""What looks like a payment card number: an issuer's prefix and length, and the Luhn check.

Orderyard never takes a card number (``domain.payment``: a card is kept as the gateway's
token), so the edge refuses one wherever it appears and the logs mask one. Luhn alone over
any run of 13 to 19 digits was the first rule, and it refused what an OMS carries every day:
one in ten of the codes below passes Luhn by chance, so one product in ten could not be
created or ordered by its barcode, and one FedEx shipment in ten could not be given its
tracking number. Now a number is a card number when all of these hold:

- it has the length that cards of its prefix are issued with (``ISSUERS``): a FedEx Ground
  number (15 digits) is one only if it starts as American Express (34, 37), a 16-digit
  Canada Post number only if it starts as a card does; a UPC-A (12) and USPS or DHL numbers
  (20 to 22) are outside 13 to 19 altogether;
- it passes Luhn;
- it is not a GS1 code: a run of 13, 14 or 18 digits whose last digit is its GS1 check digit
  is an EAN-13, a GTIN-14 or an SSCC (the barcode of most products outside North America, a
  case, a pallet), every one of which has that digit. The price: one in ten of the few cards
  of those lengths (Visa's remaining 13-digit numbers, Diners Club's 14) is not recognised.
"""

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Issuer:
    """The prefixes of one card scheme's numbers and the lengths it issues them with."""

    name: str
    prefixes: tuple[tuple[str, str], ...]
    """Ranges of leading digits, both ends included and as long as each other."""
    lengths: tuple[int, ...]

    def issued(self, digits: str) -> bool:
        """Whether ``digits`` has the length and a prefix of this scheme's card numbers."""
        return len(digits) in self.lengths and any(
            low <= digits[: len(low)] <= high for low, high in self.prefixes
        )


_16_TO_19 = (16, 17, 18, 19)
ISSUERS = (
    Issuer("Visa", (("4", "4"),), (13, 16, 19)),
    Issuer("Mastercard", (("51", "55"), ("2221", "2720")), (16,)),
    Issuer("American Express", (("34", "34"), ("37", "37")), (15,)),
    Issuer("Diners Club", (("300", "305"), ("36", "36"), ("38", "39")), (14, *_16_TO_19)),
    Issuer("Discover", (("6011", "6011"), ("644", "649"), ("65", "65")), _16_TO_19),
    Issuer("JCB", (("3528", "3589"),), _16_TO_19),
    Issuer("UnionPay", (("62", "62"),), _16_TO_19),
    Issuer("Maestro", (("50", "50"), ("56", "69")), (13, 14, 15, *_16_TO_19)),
    Issuer("Mir", (("2200", "2204"),), _16_TO_19),
    Issuer("RuPay", (("60", "60"), ("81", "82"), ("508", "508")), (16,)),
)
"""The schemes whose cards are in use, by the issuer ranges (ISO/IEC 7812) and lengths they
publish. Maestro also issued 12-digit numbers; as long as a UPC-A barcode, and shorter than
any other scheme's, they are left out."""
SHORTEST = min(min(issuer.lengths) for issuer in ISSUERS)
LONGEST = max(max(issuer.lengths) for issuer in ISSUERS)
CARD_RUN = rf"[0-9](?<![0-9]{{2}})(?:[ -]?[0-9]){{{SHORTEST - 1},{LONGEST - 1}}}(?![0-9])"
"""A run of digits as long as a card number, single spaces or dashes allowed between them
(as a number is printed on a card or typed): what to look for before ``is_card_number``.
It starts with the digit and only then looks behind it, so that the regular expression
engine skips to the next digit in C instead of trying a match at every character: 3.4 us
against 12 us for a one-line order body (364 bytes) on these machines."""
_CARD_RUN = re.compile(CARD_RUN)


def passes_luhn(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check (as every card number does)."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


GS1_LENGTHS = frozenset({13, 14, 18})
"""The lengths of GS1 codes that are also lengths of card numbers: EAN-13, GTIN-14, SSCC."""


def has_gs1_check_digit(digits: str) -> bool:
    """Whether the last digit is the GS1 check digit of the others (weights 3, 1, ... from it)."""
    weighted = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - weighted % 10) % 10 == int(digits[-1])


def is_card_number(digits: str) -> bool:
    """Whether ``digits`` (digits only) is a card number rather than a barcode or other code."""
    return (
        any(issuer.issued(digits) for issuer in ISSUERS)
        and passes_luhn(digits)
        and not (len(digits) in GS1_LENGTHS and has_gs1_check_digit(digits))
    )


def looks_like_card_number(text: str) -> bool:
    """Whether ``text`` holds a card number, its digits in a row or in groups."""
    for match in _CARD_RUN.finditer(text):
        if is_card_number(match.group().replace(" ", "").replace("-", "")):
            return True
    return False
