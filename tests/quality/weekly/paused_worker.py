"""The project's Celery app, for the worker-killed-mid-task test: once the worker is ready, writing
the weekly list's rows is followed by a pause (PAUSE_SECONDS) inside the build's transaction, so
the test can kill the worker while the list is half built. Test-only: production code has no such
hook.

Start a worker with `celery -A tests.quality.weekly.paused_worker worker ...`.
"""

import os
import time

from celery.signals import worker_ready

from config.celery import app

__all__ = ["app"]


@worker_ready.connect
def pause_after_writing_the_rows(**kwargs):
    from quality.weekly import services  # Django is set up by now, not when this module loads

    insert_all = services._BuildSQL.insert_all
    pause = float(os.environ.get("PAUSE_SECONDS", "30"))

    def insert_then_pause(self):
        insert_all(self)
        time.sleep(pause)

    services._BuildSQL.insert_all = insert_then_pause
