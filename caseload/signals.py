"""What the base app announces, so feature apps can act on it without the base app knowing them
(feature apps connect their receivers in AppConfig.ready()):

- `import_succeeded(sender=ImportRun, run=...)`: an import run stored data, all rows or the valid
  ones (status succeeded or partial; sent after its transaction; receivers that queue work do so with transaction.on_commit);
- `demo_seeded(sender=None, today=..., weeks_back=...)`: `seed_demo` imported the demo export;
  apps that keep weekly history write `weeks_back` past weeks of it (and the current week), so
  every trend on a fresh demo has a line.
"""

from django.dispatch import Signal

import_succeeded = Signal()
demo_seeded = Signal()
