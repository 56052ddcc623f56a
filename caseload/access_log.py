"""The access log service: record who saw which client. Every view of a client page, client API
detail, drill-down list and export calls `log_access` (or uses `logs_client_access`).

Exports (for the other apps): after building the rows, call
    log_access(request, AccessAction.EXPORT, client_numbers)
with the client numbers of every exported row; it is one INSERT whatever the number of clients.
"""

from __future__ import annotations

from collections.abc import Iterable

from .models import AccessAction, AccessLog

__all__ = ["AccessAction", "log_access", "who_looked_at"]


def log_access(request_or_user, action: str, client_numbers: Iterable[str]) -> int:
    """Append one row per client in ONE bulk insert; returns the number of rows written."""
    request = request_or_user if hasattr(request_or_user, "user") else None
    user = request.user if request is not None else request_or_user
    path = request.path[:500] if request is not None else ""
    numbers = list(dict.fromkeys(n for n in client_numbers if n))  # unique, in order
    if not numbers or user is None or not user.is_authenticated:
        return 0
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                user=user,
                username=user.get_username(),
                action=action,
                client_number=number,
                path=path,
            )
            for number in numbers
        ]
    )
    return len(numbers)


def who_looked_at(client_number: str):
    """Every access to one client, newest first."""
    return AccessLog.objects.for_client(client_number).select_related("user")
