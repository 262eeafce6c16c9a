"""Column mappings (TOML): which column(s) hold each survey field, and how to read their values."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import IngestError, Problem
from graph.ingest.codes import SCHEMES
from graph.ingest.fields import FIELDS, TYPES

__all__ = ["FieldSpec", "Mapping", "load_mapping", "DEFAULT_MAPPING", "MAPPINGS_DIR"]

MAPPINGS_DIR = Path(__file__).resolve().parents[2] / "data" / "mappings"
DEFAULT_MAPPING = MAPPINGS_DIR / "default.toml"

_TRUE = ("1", "x", "yes", "true", "y", "checked", "selected")
_FALSE = ("", "0", "no", "false", "n")


@dataclass(frozen=True)
class FieldSpec:
    """How one field is read: one ``column``, or one column per option (``options``: code -> column)."""

    name: str
    type: str
    column: str | None = None
    scheme: str | None = None
    required: bool = False
    style: str = "list"  # multi-select: "list" (one column, separated) or "columns" (one per option)
    separator: str = ";"
    options: dict[str, str] = field(default_factory=dict)
    true_values: tuple[str, ...] = _TRUE
    false_values: tuple[str, ...] = _FALSE
    aliases: dict[str, str] = field(default_factory=dict)  # lower-cased text -> code
    min: int | None = None
    max: int | None = None

    @property
    def columns(self) -> list[str]:
        if self.style == "columns" and self.type == "multi":
            return list(self.options.values())
        return [self.column] if self.column else []


@dataclass(frozen=True)
class Mapping:
    """A whole mapping file."""

    path: Path
    fields: dict[str, FieldSpec]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    synthetic_column: str | None = None
    synthetic_value: str = "synthetic"
    aliases: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> set[str]:
        return {c for spec in self.fields.values() for c in spec.columns}


def _lower_keys(table: Any) -> dict[str, str]:
    return {str(k).strip().lower(): str(v) for k, v in dict(table or {}).items()}


def load_mapping(path: Path | None = None) -> Mapping:
    """Read and check a mapping file; the default one reads the layout of docs/codebook.md."""
    path = path or DEFAULT_MAPPING
    name = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise IngestError(f"{name}: cannot read the mapping", [Problem(name, f"cannot read: {exc}")]) from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{name}: the mapping is not valid TOML", [Problem(name, str(exc))]) from exc

    problems: list[Problem] = []
    source = raw.get("source", {})
    synthetic = raw.get("synthetic", {})
    fields: dict[str, FieldSpec] = {}
    for fname, spec in dict(raw.get("fields", {})).items():
        where = f"fields.{fname}"
        info = FIELDS.get(fname)
        if info is None:
            problems.append(
                Problem(name, "unknown field", column=where, expected="one of " + ", ".join(FIELDS))
            )
            continue
        ftype = str(spec.get("type", info.type))
        scheme = spec.get("scheme", info.scheme)
        if ftype not in TYPES:
            problems.append(
                Problem(name, "unknown type", column=where, value=ftype, expected=", ".join(TYPES))
            )
            continue
        if ftype in ("single", "multi") and scheme not in SCHEMES:
            problems.append(
                Problem(
                    name,
                    "unknown concept scheme",
                    column=where,
                    value=str(scheme),
                    expected=", ".join(SCHEMES),
                )
            )
            continue
        style = str(spec.get("style", "list"))
        options = {str(k): str(v) for k, v in dict(spec.get("options", {})).items()}
        if ftype == "multi" and style == "columns" and not options:
            problems.append(Problem(name, "style 'columns' needs an options table", column=where))
            continue
        column = spec.get("column")
        if column is None and not (ftype == "multi" and style == "columns"):
            problems.append(Problem(name, "no column given", column=where))
            continue
        fields[fname] = FieldSpec(
            name=fname,
            type=ftype,
            column=str(column) if column is not None else None,
            scheme=scheme,
            required=bool(spec.get("required", False)),
            style=style,
            separator=str(spec.get("separator", ";")),
            options=options,
            true_values=tuple(str(v).lower() for v in spec.get("true_values", _TRUE)),
            false_values=tuple(str(v).lower() for v in spec.get("false_values", _FALSE)),
            aliases=_lower_keys(spec.get("aliases")),
            min=spec.get("min"),
            max=spec.get("max"),
        )
    if "respondent_id" not in fields:
        problems.append(Problem(name, "the mapping must name the respondent_id column", column="fields"))
    if problems:
        raise IngestError(f"{name}: the mapping has {len(problems)} problem(s)", problems)
    return Mapping(
        path=path,
        fields=fields,
        encoding=source.get("encoding") or None,
        delimiter=source.get("delimiter") or None,
        sheet=source.get("sheet") or None,
        synthetic_column=synthetic.get("column") or None,
        synthetic_value=str(synthetic.get("value", "synthetic")).lower(),
        aliases=_lower_keys(raw.get("aliases")),
    )
