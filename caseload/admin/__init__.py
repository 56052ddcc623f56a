"""The caseload admin: the registration records and the security logs (`registration`), and the
matching audit (`caseload.matching.admin`). Django's admin autodiscovery imports this package."""

from caseload.matching import admin as matching_admin  # noqa: F401  (registers its models)

from . import registration  # noqa: F401  (registers its models)
from .base import ReadOnlyAdmin

__all__ = ["ReadOnlyAdmin"]
