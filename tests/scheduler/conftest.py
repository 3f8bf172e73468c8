"""Fixtures of the scheduler tests: an in-process ``tim run`` service, stopped after the test."""

from __future__ import annotations

import pytest

from tim.config import load_config
from tim.scheduler.service import Service


@pytest.fixture
def services():
    """``start(config_path, db_url, paused=True)`` -> a started Service; all stopped at teardown."""
    started: list[Service] = []

    def start(config_path, db_url, *, paused: bool = True) -> Service:
        service = Service(load_config(config_path), config_path, db_url)
        service.start(paused=paused)
        started.append(service)
        return service

    yield start
    for service in started:
        if service.scheduler.running:
            service.stop(grace=0)

