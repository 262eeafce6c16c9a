"""Radial layout of a mission's neighbourhood (graph.network.bipartite.neighbourhood) for an SVG picture."""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Picture", "layout"]

#: drawing size; the SVG scales down to the screen with its viewBox
WIDTH, HEIGHT = 900, 620  # wide enough for labels beside the outer ring
INNER = 140.0  # ring of shared concepts
MAX_CONCEPTS = 14
OUTER = 235.0  # ring of peer missions
#: colour per dimension group (all >= 4.5:1 against white for their labels)
PALETTE = ["#1d4fa3", "#1d6b34", "#8a3b00", "#6b2a8f", "#a1122a", "#00606b", "#5c5c00", "#4a5360"]


@dataclass
class Node:
    id: str
    label: str
    kind: str  # "mission" or "concept"
    x: float
    y: float
    colour: str
    dimension: str | None = None
    href: str | None = None
    #: text anchor so that labels point away from the centre
    anchor: str = "middle"
    lx: float = 0.0
    ly: float = 0.0


@dataclass
class Picture:
    width: int
    height: int
    centre: Node
    nodes: list[Node]
    edges: list[tuple[float, float, float, float, str]]
    legend: list[tuple[str, str]] = field(default_factory=list)


def _short(text: str, n: int = 26) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def layout(nb: dict[str, Any], mission_href: Any, dimension_labels: dict[str, str] | None = None) -> Picture:
    """Place the mission in the centre, shared concepts on a ring grouped by dimension, peers outside.

    ``mission_href(id)`` gives the link of a mission node; a peer sits at the mean angle of the concepts
    it shares with the mission, so that related things are drawn near each other.
    """
    cx, cy = WIDTH / 2, HEIGHT / 2
    nodes = {n["id"]: n for n in nb["nodes"]}
    start = f"mission:{nb['mission']}" if f"mission:{nb['mission']}" in nodes else None
    if start is None:  # node ids are "kind:..." in graph.network; fall back on the mission's own id
        start = next(
            n["id"] for n in nb["nodes"] if n["kind"] == "mission" and n["id"].endswith(nb["mission"])
        )
    adj: dict[str, set[str]] = defaultdict(set)
    for e in nb["edges"]:
        adj[e["source"]].add(e["target"])
        adj[e["target"]].add(e["source"])
    peer_ids = {n["id"] for n in nb["nodes"] if n["kind"] == "mission" and n["id"] != start}
    shared_by = {n["id"]: len(adj[n["id"]] & peer_ids) for n in nb["nodes"] if n["kind"] != "mission"}
    # a readable picture: the concepts most shared with the peers, at most MAX_CONCEPTS of them
    kept = sorted(shared_by, key=lambda k: (-shared_by[k], k))[:MAX_CONCEPTS]
    if any(shared_by[k] for k in kept):
        kept = [k for k in kept if shared_by[k]]
    concepts = sorted((nodes[k] for k in kept), key=lambda n: (n.get("dimension", ""), n["label"]))
    dims = sorted({n.get("dimension", "") for n in concepts})
    colour = {d: PALETTE[i % len(PALETTE)] for i, d in enumerate(dims)}
    labels = dimension_labels or {}
    placed: dict[str, Node] = {}
    centre = Node(
        start, nodes[start]["label"], "mission", cx, cy, "#12355b", href=mission_href(nb["mission"])
    )
    placed[start] = centre
    angle: dict[str, float] = {}
    for i, n in enumerate(concepts):
        a = -math.pi / 2 + 2 * math.pi * i / max(len(concepts), 1)
        angle[n["id"]] = a
        placed[n["id"]] = _at(
            n["id"],
            n["label"],
            "concept",
            a,
            INNER,
            colour[n.get("dimension", "")],
            dimension=n.get("dimension"),
        )
    peers = [n for n in nb["nodes"] if n["kind"] == "mission" and n["id"] != start]
    wanted: list[tuple[float, dict[str, Any]]] = []
    for p in peers:
        shared = [angle[k] for k in adj[p["id"]] if k in angle]
        wanted.append(
            (
                math.atan2(sum(math.sin(x) for x in shared), sum(math.cos(x) for x in shared))
                if shared
                else 0.0,
                p,
            )
        )
    # evenly spaced slots around the ring, taken in the order of the peers' preferred angles (rotated
    # so that the first peer sits where it wants to): close to its concepts, never on top of another
    wanted.sort(key=lambda t: t[0])
    step = 2 * math.pi / max(len(wanted), 1)
    offset = wanted[0][0] if wanted else 0.0
    for i, (_, p) in enumerate(wanted):
        a = offset + i * step
        mid = p["id"].split(":", 1)[1] if ":" in p["id"] else p["id"]
        # a made-up mission says so in its label (the picture's counterpart of the synthetic badge)
        text = f"(synthetic) {p['label']}" if p.get("synthetic") else p["label"]
        placed[p["id"]] = _at(p["id"], text, "mission", a, OUTER, "#12355b", href=mission_href(mid))
    edges = []
    for e in nb["edges"]:
        one, two = placed.get(e["source"]), placed.get(e["target"])
        if one is not None and two is not None:
            dim = e.get("dimension", "")
            edges.append((one.x, one.y, two.x, two.y, colour.get(dim, "#8895a7")))
    legend = [(labels.get(d, d.replace("-", " ")), colour[d]) for d in dims]
    ordered = [placed[n["id"]] for n in concepts] + [placed[p["id"]] for _, p in wanted]
    return Picture(WIDTH, HEIGHT, centre, ordered, edges, legend)


def _at(id_: str, label: str, kind: str, a: float, r: float, colour: str, **kw: Any) -> Node:
    x, y = WIDTH / 2 + r * math.cos(a), HEIGHT / 2 + r * math.sin(a)
    cos = math.cos(a)
    anchor = "start" if cos > 0.3 else "end" if cos < -0.3 else "middle"
    lx = x + (10 if anchor == "start" else -10 if anchor == "end" else 0)
    ly = y + (4 if anchor != "middle" else (18 if math.sin(a) > 0 else -12))
    return Node(id_, _short(label), kind, x, y, colour, anchor=anchor, lx=lx, ly=ly, **kw)
