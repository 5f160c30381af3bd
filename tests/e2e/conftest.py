"""The demo outlets, started once for the end-to-end tests."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from alaune.config import Settings, load_settings
from alaune.demo.corpus import Corpus, load_corpus
from alaune.demo.server import DemoOutlets


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus()


@pytest.fixture(scope="session")
def demo() -> Iterator[DemoOutlets]:
    with DemoOutlets() as outlets:
        yield outlets


@pytest.fixture
def demo_settings(demo: DemoOutlets) -> Settings:
    return dataclasses.replace(load_settings(env={}), fetch_allow=list(demo.allow))
