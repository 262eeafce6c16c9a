"""The fixture kit shared by the tests: IRIs, settings and tokens, free ports, stores and servers.

``tests.support.IRIS`` (the default base, no pseudonym key), ``tests.support.settings`` (``make_settings``,
``LAB_TOKEN``), ``tests.support.ports.free_port``, ``tests.support.stores`` (every store builder) and
``tests.support.servers`` / ``tests.support.uvicorn_server`` (real servers on free ports).
"""

from __future__ import annotations

from graph.iris import DEFAULT_BASE_IRI, Iris

__all__ = ["IRIS"]

#: the IRIs every test store is written with (``http://127.0.0.1:8000/``, no pseudonym key)
IRIS = Iris(DEFAULT_BASE_IRI)
