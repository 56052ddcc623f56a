"""The project's Celery app, for the worker-killed-mid-task test: once the worker is ready, each
coach's batch of the weekly list is followed by a pause (PAUSE_SECONDS), so the test can kill the
worker while the list is half written. Test-only: production code has no such hook.

Start a worker with `celery -A tests.quality.weekly.paused_worker worker ...`.
"""

import os
import time

from celery.signals import worker_ready

from config.celery import app

__all__ = ["app"]


@worker_ready.connect
def pause_after_each_batch(**kwargs):
    from quality.weekly import services  # Django is set up by now, not when this module loads

    write_batch = services._write_batch
    pause = float(os.environ.get("PAUSE_SECONDS", "30"))

    def write_then_pause(rows, fresh):
        write_batch(rows, fresh)
        time.sleep(pause)

    services._write_batch = write_then_pause
