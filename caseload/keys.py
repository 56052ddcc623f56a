"""The one pattern of a natural key: client numbers, employee ids, team codes, contact, plan,
vacancy, referral, workshop and enrolment ids.

The importer rejects a row whose key does not match it (docs/registration-export.md), and every URL
that carries a key accepts exactly it (the `key` path converter, registered in CaseloadConfig.ready,
and the API router's lookup_value_regex). So a key that is stored can always be put in a link: no
page can fail on reversing a URL for it.
"""

import re

from django.utils.translation import gettext_lazy as _

# A record id (the primary key of a team, coach, ...) a parameter may name: 64 bits in every database.
MAX_ID = 2**63 - 1
KEY_MAX_LENGTH = 32
KEY_CHARACTERS = _("letters A–Z and a–z, digits 0–9, '.', '_' and '-'")
KEY_PATTERN = rf"[A-Za-z0-9._-]{{1,{KEY_MAX_LENGTH}}}"
_KEY = re.compile(KEY_PATTERN)


def is_key(value: str) -> bool:
    return _KEY.fullmatch(value) is not None


class KeyConverter:
    """`<key:client_number>` in a URL pattern."""

    regex = KEY_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    from django.urls import register_converter
    from django.urls.converters import get_converters

    if "key" not in get_converters():
        register_converter(KeyConverter, "key")
