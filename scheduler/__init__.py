"""``tim run``: the long-running service that triggers pipeline runs (APScheduler); no business logic.

- ``triggers``   a source's ``schedule`` -> an APScheduler trigger (Europe/Amsterdam, jitter)
- ``service``    the BackgroundScheduler: persistent job store, worker pool, event log lines,
                 start / sync / graceful stop
- ``jobs``       the module-level job function the job store refers to by name
- ``isolation``  one source run in a child process (``python -m tim.scheduler.worker``) with a hard
                 deadline; ``recording`` stores what became of a killed or crashed child
- ``worker``     the child's entry point
- ``dedup``      re-clustering after runs, at most one at a time
- ``serve``      the feeds app (or the status endpoints alone) in a thread of the same process
- ``logs``       logging set-up; every line is ``event key=value ...`` (``pipeline.logfmt``)
"""
