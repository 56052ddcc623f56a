"""Pseudonymous client ids for exports and reports without direct identifiers.

A keyed HMAC (not a plain hash): without the key, nobody can recompute the pseudonym from a client
number, and the same client gets the same pseudonym in every export made with the same key.
"""

import hashlib
import hmac

from django.conf import settings


def pseudonym(client_number: str) -> str:
    key = (getattr(settings, "PSEUDONYM_KEY", "") or settings.SECRET_KEY).encode()
    digest = hmac.new(key, client_number.encode(), hashlib.sha256).hexdigest()
    return f"P-{digest[:16]}"
