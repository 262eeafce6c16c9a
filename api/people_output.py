"""Rosters and introductions as CSV rows and as plain-text tables (the CLI), from the JSON bodies."""

from __future__ import annotations

import textwrap
from typing import Any

from graph.csvsafe import write_csv

__all__ = [
    "GROUP_COLUMNS",
    "INTRODUCTION_COLUMNS",
    "groups_csv",
    "introductions_csv",
    "groups_table",
    "introductions_table",
]

GROUP_COLUMNS = [
    "group",
    "name",
    "organisation",
    "email",
    "mission",
    "sector",
    "country",
    "group_shares",
    "synthetic",
    "source",
    "id",
]
INTRODUCTION_COLUMNS = [
    "introduction",
    "kind",
    "person_a",
    "organisation_a",
    "email_a",
    "person_b",
    "organisation_b",
    "email_b",
    "reason",
    "shared",
    "synthetic",
    "source",
]


def _mission(member: dict[str, Any]) -> str:
    m = member.get("mission") or {}
    return str(m.get("title") or m.get("id") or m.get("description") or "")


def _shares(group: dict[str, Any]) -> str:
    return "; ".join(f"{s['label']} ({s['members']})" for s in group["shares"])


def groups_csv(body: dict[str, Any]) -> str:
    """One row per member: the roster a facilitator prints or mails (e-mail of consenting people only)."""
    rows = []
    for g in body["groups"]:
        for m in g["members"]:
            rows.append(
                {
                    "group": g["group"],
                    "name": m["name"],
                    "organisation": m.get("organisation") or "",
                    "email": m.get("email") or "",
                    "mission": _mission(m),
                    "sector": m.get("sector") or "",
                    "country": m.get("country") or "",
                    "group_shares": _shares(g),
                    "synthetic": m["synthetic"],
                    "source": m["source"],
                    "id": m["id"],
                }
            )
    return write_csv(rows, GROUP_COLUMNS)


def introductions_csv(body: dict[str, Any]) -> str:
    rows = []
    for n, item in enumerate(body["introductions"], 1):
        a, b = item["people"]
        rows.append(
            {
                "introduction": n,
                "kind": item["kind"],
                "person_a": a["name"],
                "organisation_a": a.get("organisation") or "",
                "email_a": a.get("email") or "",
                "person_b": b["name"],
                "organisation_b": b.get("organisation") or "",
                "email_b": b.get("email") or "",
                "reason": item["reason"],
                "shared": "; ".join(s["label"] for s in item["shared"]),
                "synthetic": item["synthetic"],
                "source": item["source"],
            }
        )
    return write_csv(rows, INTRODUCTION_COLUMNS)


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(header: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    line = "  ".join(_cell(h, w).ljust(w) for h, w in zip(header, widths, strict=True))
    out = [line.rstrip(), "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append("  ".join(_cell(c, w).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return out


def _who(m: dict[str, Any]) -> str:
    return str(m["name"])


def groups_table(body: dict[str, Any]) -> str:
    """Readable rosters: per group a table of members and what they share, then the summary."""
    lines: list[str] = []
    for g in body["groups"]:
        lines.append(f"Group {g['group']} ({len(g['members'])} people)")
        rows = [
            [
                _who(m),
                m.get("organisation") or "",
                m.get("email") or "",
                _mission(m),
                m.get("sector") or "",
                "yes" if m["synthetic"] else "no",
            ]
            for m in g["members"]
        ]
        header = ["Name", "Organisation", "E-mail", "Mission", "Sector", "Synthetic"]
        lines += ["  " + x for x in _table(header, rows, [22, 26, 28, 34, 22, 9])]
        lines += textwrap.wrap(
            "Shares: " + g["summary"], width=110, initial_indent="  ", subsequent_indent="    "
        )
        lines.append("")
    lines.append("Summary")
    for s in body["summary"]:
        lines += textwrap.wrap(s, width=110, initial_indent="  - ", subsequent_indent="    ")
    if body.get("synthetic"):
        lines.append("  (Synthetic: made-up sample people and missions, not real ones.)")
    return "\n".join(lines)


def introductions_table(body: dict[str, Any]) -> str:
    lines: list[str] = []
    for n, item in enumerate(body["introductions"], 1):
        a, b = item["people"]
        mark = "  [synthetic]" if item["synthetic"] else ""
        lines.append(f"{n:>3}. {a['name']} ({a.get('organisation') or '–'}) ↔ {b['name']} "
                     f"({b.get('organisation') or '–'})  · {item['kind']}{mark}")  # fmt: skip
        contacts = " · ".join(x for x in (a.get("email"), b.get("email")) if x)
        if contacts:
            lines.append(f"     {contacts}")
        lines += textwrap.wrap(item["reason"], width=106, initial_indent="     ", subsequent_indent="     ")
    if not body["introductions"]:
        lines.append("No pair shares enough to introduce.")
    lines.append("")
    lines.append(f"{len(body['introductions'])} introductions for {body['introduced']} of "
                 f"{body['participants']} people.")  # fmt: skip
    return "\n".join(lines)
