"""Which named graphs a caller may see: the public ones, or (Lab) the public ones and the restricted one."""

from __future__ import annotations

from api.context import AppContext

__all__ = ["public_graphs", "lab_graphs"]


def public_graphs(ctx: AppContext) -> list[str]:
    """Every named graph of the store that is public (never the restricted graph)."""
    return [g for g in ctx.store.named_graphs() if ctx.iris.is_public_graph(g)]


def lab_graphs(ctx: AppContext) -> list[str]:
    """The public graphs plus the restricted graph, for authenticated Lab staff."""
    graphs = public_graphs(ctx)
    if ctx.iris.restricted_graph in ctx.store.named_graphs():
        graphs.append(ctx.iris.restricted_graph)
    return graphs
