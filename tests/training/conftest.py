"""A tiny synthetic corpus and one tiny trained run shared by the training tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

NAMES = ["Tom", "Maria", "Kees", "Anna", "Pieter", "Sophie", "Jan", "Emma"]
VERBS = [("ziet", "sees"), ("heeft", "has"), ("zoekt", "is looking for"), ("koopt", "buys")]
OBJECTS = [
    ("een hond", "a dog"),
    ("de kat", "the cat"),
    ("een boek", "a book"),
    ("het huis", "the house"),
    ("de auto", "the car"),
    ("een appel", "an apple"),
    ("de sleutel", "the key"),
    ("een fiets", "a bicycle"),
]


def synthetic_pairs() -> list[tuple[str, str]]:
    """Short Dutch–English pairs with names, a few hundred of them."""
    pairs = []
    for name, (nl_verb, en_verb), (nl_obj, en_obj) in itertools.product(NAMES, VERBS, OBJECTS):
        pairs.append((f"{name} {nl_verb} {nl_obj}.", f"{name} {en_verb} {en_obj}."))
    for year in range(1990, 2030):
        pairs.append((f"Het is {year}.", f"It is {year}."))
    return pairs


@pytest.fixture(scope="session")
def corpus_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The synthetic corpus as a TSV file."""
    path = tmp_path_factory.mktemp("corpus") / "tiny.nl-en.tsv"
    path.write_text("".join(f"{s}\t{t}\n" for s, t in synthetic_pairs()), encoding="utf-8")
    return path


@pytest.fixture(scope="session", autouse=True)
def one_torch_thread() -> Iterator[None]:
    """Train with one thread: the models here are tiny, and on a busy 2-core machine a
    second intra-op thread makes every step several times slower, not faster."""
    try:
        import torch
    except ImportError:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
