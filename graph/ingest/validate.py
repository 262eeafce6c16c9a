"""Check every row of an export against its mapping; collect every problem, build validated records."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta

from graph.errors import Problem
from graph.ingest.codes import country_iri, resolve_code, scheme_codes, scheme_of_code
from graph.ingest.mapping import FieldSpec, Mapping
from graph.ingest.reader import Table
from graph.records import Respondent, Response
from graph.textsafe import for_terminal, identity, unsafe_character

__all__ = ["validate_table", "Validated"]

# what a mailto: IRI can carry unchanged (RFC 5322 dot-atom without { } | ^ `, which IRIs forbid)
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?_~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?_~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_INTEGER = re.compile(r"^[+-]?[0-9]+$")
#: submission dates outside this window are typing or export mistakes (year 9999, 1900 ...)
EARLIEST_DATE = date(2000, 1, 1)
#: free-text answers may hold line breaks; names, ids and other short text may not
_MULTILINE = frozenset({"challenge_text", "support_text", "mission_goal"})


class Validated:
    """What validation found: the records, every problem, and notices (not errors)."""

    def __init__(self) -> None:
        self.responses: list[Response] = []
        self.problems: list[Problem] = []
        self.notices: list[str] = []


def _expected_codes(scheme: str) -> str:
    codes = scheme_codes(scheme)
    shown = ", ".join(codes[:8]) + (", ..." if len(codes) > 8 else "")
    return f"a code of scheme {scheme!r} ({shown})"


class _Checker:
    """Per-field value checks with a cache (exports repeat the same answers thousands of times)."""

    def __init__(self, mapping: Mapping, catalogue_ids: set[str] | None) -> None:
        self.mapping = mapping
        self.catalogue_ids = catalogue_ids
        self._cache: dict[tuple[str, str], tuple[object, str | None, str | None]] = {}

    def code(self, spec: FieldSpec, text: str) -> tuple[str | None, str | None, str | None]:
        """(code, message, expected) for one coded value."""
        key = (spec.name, text)
        hit = self._cache.get(key)
        if hit is None:
            hit = self._code(spec, text)
            self._cache[key] = hit
        value, message, expected = hit
        return (value if isinstance(value, str) else None), message, expected

    def _code(self, spec: FieldSpec, text: str) -> tuple[object, str | None, str | None]:
        scheme = spec.scheme or ""
        lowered = identity(text)
        aliased = spec.aliases.get(lowered) or self.mapping.aliases.get(lowered) or lowered
        found = resolve_code(scheme, aliased)
        if found is not None:
            return found, None, None
        elsewhere = [s for s in scheme_of_code(aliased) if s != scheme]
        if elsewhere:
            return (
                None,
                f"value outside its scheme: a code of {elsewhere[0]!r}, not of {scheme!r}",
                _expected_codes(scheme),
            )
        return None, "unknown code", _expected_codes(scheme)


def validate_table(
    table: Table,
    mapping: Mapping,
    *,
    catalogue_ids: set[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Validated:
    """Validate every row; problems do not stop the checking, so the user sees all of them at once."""
    out = Validated()
    out.problems.extend(table.problems)
    out.notices.extend(table.notices)
    file = table.file
    index = {h: i for i, h in enumerate(table.header)}

    # columns: missing required ones are problems, missing optional ones and extra ones are notices
    present: dict[str, FieldSpec] = {}
    for spec in mapping.fields.values():
        missing = [c for c in spec.columns if c not in index]
        if not missing:
            present[spec.name] = spec
            continue
        if spec.required:
            for col in missing:
                out.problems.append(
                    Problem(
                        file,
                        "a required column is missing",
                        row=1,
                        column=col,
                        expected=f"a column named {col!r}",
                    )
                )
        elif spec.style == "columns" and len(missing) < len(spec.columns):
            present[spec.name] = spec
            out.notices.append(
                f"{file}: option columns not in the file (read as unticked): {', '.join(missing)}"
            )
        else:
            out.notices.append(
                f"{file}: mapped column(s) not in the file, field {spec.name!r} left unanswered: "
                f"{', '.join(missing)}"
            )
    extra = [h for h in table.header if h not in mapping.columns]
    if extra:
        out.notices.append(
            f"{file}: {len(extra)} column(s) not in the mapping were ignored: {', '.join(extra)}"
        )
    if any(p.row == 1 and p.message.startswith("a required column") for p in out.problems):
        return out  # rows cannot be read meaningfully without their required columns

    checker = _Checker(mapping, catalogue_ids)
    seen_ids: dict[str, int] = {}
    total = len(table.rows)
    synth_col = index.get(mapping.synthetic_column) if mapping.synthetic_column else None
    for n, (rownum, cells) in enumerate(table.rows, start=1):
        response = _row(
            file, rownum, cells, index, present, checker, out.problems, seen_ids, synth_col, mapping
        )
        if response is not None:
            out.responses.append(response)
        if progress is not None and (n % 1000 == 0 or n == total):
            progress(n, total)
    return out


def _row(
    file: str,
    rownum: int,
    cells: list[str],
    index: dict[str, int],
    present: dict[str, FieldSpec],
    checker: _Checker,
    problems: list[Problem],
    seen_ids: dict[str, int],
    synth_col: int | None,
    mapping: Mapping,
) -> Response | None:
    before = len(problems)
    values: dict[str, object] = {}
    answers: dict[str, tuple[str, tuple[str, ...]]] = {}

    def problem(
        spec: FieldSpec, message: str, value: str | None, expected: str | None, column: str | None = None
    ) -> None:
        problems.append(
            Problem(file, message, row=rownum, column=column or spec.column, value=value, expected=expected)
        )

    for name, spec in present.items():
        if spec.type == "multi" and spec.style == "columns":
            codes: list[str] = []
            for option, col in spec.options.items():
                i = index.get(col)
                if i is None:
                    continue
                cell = cells[i].lower()
                if cell in spec.true_values:
                    codes.append(option)
                elif cell not in spec.false_values:
                    problem(spec, "not a tick value", cells[i], "1/0, yes/no, or x/blank", column=col)
            if codes:
                answers[name] = (spec.scheme or "", tuple(codes))
            elif spec.required:
                problem(
                    spec,
                    "at least one option must be ticked",
                    None,
                    None,
                    column=next(iter(spec.options.values())),
                )
            continue
        raw = cells[index[spec.column or ""]]
        if not raw:
            if spec.required:
                problem(spec, "a value is required", None, "a non-empty value")
            continue
        bad = unsafe_character(raw, allow_newlines=name in _MULTILINE)
        if bad is not None:
            problem(
                spec,
                f"the value holds the invisible character U+{ord(bad):04X} "
                f"({unicodedata.name(bad, 'a control character')})",
                for_terminal(raw),
                "plain text without control or bidirectional-override characters",
            )
            continue
        if spec.type == "single":
            code, message, expected = checker.code(spec, raw)
            if code is None:
                problem(spec, message or "unknown code", raw, expected)
            else:
                answers[name] = (spec.scheme or "", (code,))
        elif spec.type == "multi":
            found: list[str] = []
            for part in (p.strip() for p in raw.split(spec.separator)):
                if not part:
                    continue
                code, message, expected = checker.code(spec, part)
                if code is None:
                    problem(spec, message or "unknown code", part, expected)
                elif code not in found:
                    found.append(code)
            if found:
                answers[name] = (spec.scheme or "", tuple(found))
        elif spec.type == "integer":
            if not _INTEGER.match(raw.strip()):  # int() would take ٢٠٣٠ and fullwidth digits
                problem(spec, "not a whole number", raw, _range(spec) or "a whole number in digits 0-9")
                continue
            number = int(raw.strip())
            if (spec.min is not None and number < spec.min) or (spec.max is not None and number > spec.max):
                problem(spec, "impossible value", raw, _range(spec))
            else:
                values[name] = number
        elif spec.type == "email":
            if _EMAIL.match(raw):
                values[name] = raw
            else:
                problem(spec, "not an e-mail address", raw, "an address like name@example.org")
        elif spec.type == "date":
            stamp = _date(raw)
            if stamp is None:
                problem(spec, "not a date", raw, "an ISO 8601 date or date-time (2021-12-01T10:00:00)")
            elif not EARLIEST_DATE.isoformat() <= stamp[:10] <= _latest_date().isoformat():
                problem(
                    spec,
                    "the date is outside the plausible window",
                    raw,
                    f"a date from {EARLIEST_DATE.isoformat()} to {_latest_date().isoformat()}",
                )
            else:
                values[name] = stamp
        elif spec.type == "country":
            if country_iri(raw) is None:
                problem(spec, "unknown country code", raw, "an ISO 3166-1 alpha-2 code (DK) or EU")
            else:
                values[name] = raw.strip().upper()
        elif spec.type == "boolean":
            lowered = mapping.aliases.get(raw.lower(), raw.lower())
            if lowered in ("yes", "true", "1", "y"):
                values[name] = True
            elif lowered in ("no", "false", "0", "n"):
                values[name] = False
            else:
                problem(spec, "not a yes/no answer", raw, "yes or no")
        elif spec.type == "mission":
            if checker.catalogue_ids is not None and raw not in checker.catalogue_ids:
                problem(spec, "unknown catalogue mission id", raw, "a catalogue mission id, or blank")
            else:
                values[name] = raw
        else:  # text
            values[name] = raw

    rid = identity(str(values.get("respondent_id", "")))  # R001, r001, Ｒ001, r\u200b001: one person
    if rid:
        first = seen_ids.get(rid)
        if first is not None:
            spec = present["respondent_id"]
            problem(
                spec, f"duplicate respondent id (first seen in row {first})", rid, "an id unique in the file"
            )
        else:
            seen_ids[rid] = rownum
    involved = answers.get("involved", ("", ()))[1]
    if (
        "mission_title" in present
        and not values.get("mission_id")
        and not values.get("mission_title")
        and involved == ("yes",)
    ):
        problem(
            present["mission_title"],
            "a mission title is required when no catalogue mission is named and the respondent is involved",
            None,
            "the name of the respondent's mission",
        )
    if len(problems) > before:
        return None

    synthetic = synth_col is not None and cells[synth_col].strip().lower() == mapping.synthetic_value

    def text(name: str) -> str | None:
        value = values.get(name)
        return value if isinstance(value, str) and value else None

    respondent = Respondent(
        respondent_id=rid,
        country=text("country"),
        name=text("name"),
        email=text("email"),
        phone=text("phone"),
        organisation=text("organisation"),
        consent=values["consent_contact"] if isinstance(values.get("consent_contact"), bool) else None,  # type: ignore[arg-type]
        synthetic=synthetic,
    )
    year = values.get("target_year")
    return Response(
        row=rownum,
        respondent=respondent,
        answers=answers,
        texts={k: v for k in ("challenge_text", "support_text") if (v := text(k))},
        submitted_at=text("submitted_at"),
        mission_id=text("mission_id"),
        mission_title=text("mission_title"),
        mission_goal=text("mission_goal"),
        target_year=year if isinstance(year, int) else None,
        synthetic=synthetic,
    )


def _range(spec: FieldSpec) -> str | None:
    if spec.min is not None and spec.max is not None:
        return (
            f"a year from {spec.min} to {spec.max}"
            if spec.name.endswith("year")
            else f"{spec.min}–{spec.max}"
        )
    return None


def _latest_date() -> date:
    return date.today() + timedelta(days=1)


def _date(raw: str) -> str | None:
    text = raw.strip()
    if not text.isascii():  # fromisoformat takes non-ASCII digits
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1)).isoformat()
    except ValueError:
        return None
