"""Fixtures of the demo outlets' tests: the fixture corpus and the outlets serving it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from demo_support import FIXTURE_ROOT, NOW

from alaune.demo.corpus import Corpus, load_corpus
from alaune.demo.server import DemoOutlets


@pytest.fixture(scope="session")
def corpus() -> Corpus:
    return load_corpus(FIXTURE_ROOT)


@pytest.fixture(scope="module")
def demo(corpus: Corpus) -> Iterator[DemoOutlets]:
    with DemoOutlets(corpus, now=NOW) as outlets:
        yield outlets
