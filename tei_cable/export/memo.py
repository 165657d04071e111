"""Read a tree once when it is exported to several formats: :func:`shared_reading` and :func:`memoized`.

The build exports every document to text, HTML and JSON and summarises it for the corpus pages; each of
those reads the same header metadata, standOff register and rendered text (reading them once saves about
1.7 ms of the 5.5 ms these four take on the seed document, measured warm). Inside a ``with shared_reading():``
block, a function decorated with :func:`memoized` computes its result once per element and arguments, and every
later call gets the same object.

Outside such a block nothing is kept: a person who changes a tree between two exports (the tests do, and so
may a script) gets a fresh reading every time. Inside the block the tree must not change, and callers treat
shared results as read-only (none of the exporters changes a ``Metadata``, a ``Register`` or a renderer it
was given; ``tests/test_build.py`` checks that a build's outputs equal the one-by-one exports).

>>> calls = []
>>> @memoized
... def size(el: object) -> int:
...     calls.append(el)
...     return 1
>>> from lxml import etree
>>> root = etree.Element("TEI")
>>> size(root) + size(root), len(calls)
(2, 2)
>>> with shared_reading():
...     size(root) + size(root), len(calls)
(2, 3)
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

#: key -> (the element, the result). The element is kept so that its id() cannot be reused while the block
#: lasts (an id is only unique among live objects).
_shared: ContextVar[dict[Hashable, tuple[Any, Any]] | None] = ContextVar("tei_cable_shared_reading", default=None)


@contextmanager
def shared_reading() -> Iterator[None]:
    """Within the block, memoized readers compute each result once (see the module docstring)."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def memoized(function: Callable[P, R]) -> Callable[P, R]:
    """Share ``function(element, **options)``'s result inside a :func:`shared_reading` block."""
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        memo = _shared.get()
        if memo is None or len(args) != 1:
            return function(*args, **kwargs)
        element = args[0]
        key = (name, id(element), tuple(sorted(kwargs.items())))
        hit = memo.get(key)
        if hit is not None and hit[0] is element:
            return hit[1]  # type: ignore[no-any-return]
        result = function(*args, **kwargs)
        memo[key] = (element, result)
        return result

    return wrapper


__all__ = ["memoized", "shared_reading"]
