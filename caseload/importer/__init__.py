"""Import of the registration system's export (docs/registration-export.md).

`import_export(directory)` checks every file's header first, then reads the files in dependency
order as streams of CSV records (`records`: bounded memory whatever the file's size), checks every
cell in Python, and hands the rows to a staging table (`staging`) where duplicate keys, references
and unique values are checked and the rows upserted set-wise, with their change history. Each
rejected row is kept with file, line, column(s), reason(s) and its raw values; a file that cannot
be read as a whole (empty, not UTF-8, a missing or repeated column, a quote never closed) fails the
run with file, line and what to fix. The run is one transaction: a failed run changes nothing.
Importing the same export twice changes nothing the second time.

A client who has been erased (caseload.gdpr, on request or by the retention schedule) stays erased:
their rows in clients.csv and in every file that names them by client_number are rejected with the
date of the erasure, and the reject keeps only the pseudonym, not the raw values.

A value a user recorded in the app that the export also carries (a referral's outcome) is not
overwritten silently: the later event wins, and the disagreement is kept as an ImportConflict of
the run. The importer's history rows carry no user (the run names who started it): a history row
with a user is a change made in the app.
"""

from .bulk import create_rows
from .files import FILES
from .records import FileProblem
from .run import EXIT_STATUS, ImportFailed, import_export

__all__ = ["EXIT_STATUS", "FILES", "create_rows", "FileProblem", "ImportFailed", "import_export"]
