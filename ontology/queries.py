"""The SPARQL query catalogue (ontology/queries/*.rq): headers, typed parameters and safe rendering."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ontology.errors import QueryParameterError, UnknownQueryError, UnknownSchemeError, VocabularyError
from ontology.namespaces import MG_TERMS
from ontology.prefixes import prefix_map
from ontology.vocab import SCHEMES, concept, country_iri, resolve_code

__all__ = ["QueryParam", "NamedQuery", "QueryCatalogue", "load_queries", "catalogue", "PARAM_TYPES"]

#: parameter types; ``code:{scheme}`` is a concept code of one scheme (``code:risk``); ``country`` is an
#: alpha-3 code (``DNK``), an alpha-2 code (``DK``) or an English name, given as the country's IRI
PARAM_TYPES = ("iri", "string", "integer", "country")
_HEADER = re.compile(r"^#\s*([a-z]+):\s*(.*?)\s*$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# an absolute IRI with none of the characters SPARQL forbids inside <...>
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`\x00-\x20]*$")
#: IRI schemes taken as absolute IRIs; any other ``word:rest`` must be a prefixed name with a known prefix
_IRI_SCHEMES = ("http://", "https://", "urn:")
_PNAME = re.compile(r"^([A-Za-z][\w.-]*)?:([\w.:%-]*)$")
_INTEGER = re.compile(r"^[+-]?[0-9]{1,18}$")
_MAX_STRING = 2000


@dataclass(frozen=True)
class QueryParam:
    """A parameter of a catalogue query; it appears in the query text as the variable ``?_{name}``."""

    name: str
    type: str  # "iri", "string", "integer" or "code:{scheme}"
    default: str | None = None

    @property
    def scheme(self) -> str | None:
        return self.type.split(":", 1)[1] if self.type.startswith("code:") else None

    def term(self, value: object) -> str:
        """``value`` as a SPARQL term of this parameter's type; QueryParameterError when it does not fit."""
        if isinstance(value, bool):
            raise QueryParameterError(f"parameter {self.name!r}: expected {self.type}, got a boolean")
        text = str(value).strip() if not isinstance(value, str) or self.type != "string" else value
        if self.type == "integer":
            if isinstance(value, int) or _INTEGER.match(text):
                return str(int(text))
            raise QueryParameterError(f"parameter {self.name!r}: expected an integer, got {text[:60]!r}")
        if self.type == "iri":
            return f"<{iri_value(self.name, text)}>"
        if self.type == "country":
            code = text.strip("<>")
            for lead in (prefix_map()["country"], "country:"):
                code = code[len(lead) :] if code.startswith(lead) else code
            iri = country_iri(code)
            if iri is None:
                raise QueryParameterError(
                    f"parameter {self.name!r}: {text[:60]!r} is not a known country "
                    "(give an alpha-3 code such as DNK, an alpha-2 code such as DK, or an English name)"
                )
            return f"<{iri}>"
        if self.type == "string":
            return _string_literal(self.name, text)
        scheme = self.scheme
        assert scheme is not None
        resolved = resolve_code(scheme, text)
        found = concept(scheme, resolved) if resolved else None
        if found is None:
            raise QueryParameterError(
                f"parameter {self.name!r}: {text[:60]!r} is not a concept of the {scheme} scheme"
            )
        return f"<{found.iri}>"


def iri_value(name: str, text: str) -> str:
    """An IRI parameter's value: an absolute http(s)/urn IRI (``<...>`` allowed), or a prefixed name with
    a predeclared prefix (``mg:hasClearTarget``, ``answer:yes``); anything else raises."""
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    if text.lower().startswith(_IRI_SCHEMES):
        if _IRI.match(text):
            return text
        raise QueryParameterError(f"parameter {name!r}: {text[:60]!r} is not a valid IRI")
    known = prefix_map()
    match = _PNAME.match(text)
    if match is None:
        raise QueryParameterError(
            f"parameter {name!r}: expected an IRI (http://..., https://..., urn:...) or a prefixed name "
            f"such as mg:hasClearTarget, got {text[:60]!r}"
        )
    prefix, local = match.group(1) or "", match.group(2)
    if prefix not in known:
        raise QueryParameterError(
            f"parameter {name!r}: unknown prefix {prefix}: in {text[:60]!r}; "
            f"known prefixes: {', '.join(sorted(p + ':' for p in known))}"
        )
    if prefix == "mg" and local not in MG_TERMS:
        raise QueryParameterError(f"parameter {name!r}: {text[:60]!r} is not a term of the ontology")
    iri = known[prefix] + local
    return iri


def _string_literal(name: str, text: str) -> str:
    if len(text) > _MAX_STRING:
        raise QueryParameterError(f"parameter {name!r}: longer than {_MAX_STRING} characters")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        raise QueryParameterError(f"parameter {name!r}: control characters are not allowed")
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


@dataclass(frozen=True)
class NamedQuery:
    """One query of the catalogue: ``render(values)`` gives runnable SPARQL with the parameters filled in."""

    name: str
    title: str
    description: str
    params: tuple[QueryParam, ...]
    text: str
    #: the deck figure code this query answers, and whether it reads the published or recomputed value
    figure: str | None = None
    kind: str | None = None

    def param(self, name: str) -> QueryParam:
        for p in self.params:
            if p.name == name:
                return p
        raise QueryParameterError(f"query {self.name!r} has no parameter {name!r}")

    def render(self, values: Mapping[str, object] | None = None) -> str:
        """The query with every ``?_name`` replaced by a typed, escaped term (never raw text)."""
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            raise QueryParameterError(f"query {self.name!r} has no parameter(s) {', '.join(unknown)}")
        terms: dict[str, str] = {}
        for p in self.params:
            value = values.get(p.name, p.default)
            if value is None or (isinstance(value, str) and value == "" and p.type != "string"):
                raise QueryParameterError(f"query {self.name!r}: parameter {p.name!r} needs a value")
            terms[p.name] = p.term(value)
        return _VARIABLE.sub(lambda m: terms.get(m.group(1), m.group(0)), self.text)


# ?_name or $_name as a whole variable token
_VARIABLE = re.compile(r"(?<![\w?$])[?$]_([a-z][a-z0-9_]*)(?![\w])")


def parse_query(name: str, text: str) -> NamedQuery:
    """Read a query file's headers: ``# title:``, ``# description:``, ``# param: name type [default]``."""
    headers: dict[str, str] = {}
    params: list[QueryParam] = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if match is None:
            continue
        key, value = match.groups()
        if key == "param":
            params.append(_parse_param(name, value))
        else:
            headers[key] = value
    for key in ("title", "description"):
        if not headers.get(key):
            raise VocabularyError(f"query {name!r} has no '# {key}:' header")
    used = set(_VARIABLE.findall(text))
    declared = {p.name for p in params}
    if used != declared:
        raise VocabularyError(
            f"query {name!r}: parameters used {sorted(used)} differ from those declared {sorted(declared)}"
        )
    kind = headers.get("kind")
    if kind not in (None, "published", "recomputed"):
        raise VocabularyError(f"query {name!r}: kind must be published or recomputed, not {kind!r}")
    return NamedQuery(
        name=name,
        title=headers["title"],
        description=headers["description"],
        params=tuple(params),
        text=text,
        figure=headers.get("figure"),
        kind=kind,
    )


def _parse_param(query: str, spec: str) -> QueryParam:
    parts = spec.split(None, 2)
    if len(parts) < 2 or not _NAME.match(parts[0]):
        raise VocabularyError(
            f"query {query!r}: bad parameter header {spec!r} (expected: name type [default])"
        )
    name, kind = parts[0], parts[1]
    if kind not in PARAM_TYPES and not kind.startswith("code:"):
        raise VocabularyError(f"query {query!r}: parameter {name!r} has unknown type {kind!r}")
    if kind.startswith("code:") and kind[5:] not in SCHEMES:
        raise UnknownSchemeError(f"query {query!r}: parameter {name!r} names unknown scheme {kind[5:]!r}")
    param = QueryParam(name, kind, parts[2] if len(parts) > 2 else None)
    if param.default is not None:
        param.term(param.default)  # a default that does not fit its own type is a bug in the file
    return param


@cache
def _load() -> tuple[NamedQuery, ...]:
    root = resources.files("ontology").joinpath("queries")
    files = sorted(p.name for p in root.iterdir() if p.name.endswith(".rq"))
    return tuple(parse_query(f[:-3], root.joinpath(f).read_text(encoding="utf-8")) for f in files)


def load_queries() -> dict[str, NamedQuery]:
    """Every catalogue query by name (the file name without ``.rq``)."""
    return {q.name: q for q in _load()}


class QueryCatalogue:
    """The query catalogue: look up, list and render named queries."""

    def __init__(self, queries: Mapping[str, NamedQuery] | None = None) -> None:
        self._queries = dict(queries) if queries is not None else load_queries()

    def __iter__(self) -> Iterator[NamedQuery]:
        return iter(sorted(self._queries.values(), key=lambda q: q.name))

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def get(self, name: str) -> NamedQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise UnknownQueryError(f"no catalogue query named {name!r}") from None

    def render(self, name: str, values: Mapping[str, object] | None = None) -> str:
        return self.get(name).render(values)

    def figure_queries(self) -> dict[str, dict[str, NamedQuery]]:
        """Deck figure code -> {"published": query, "recomputed": query}."""
        out: dict[str, dict[str, NamedQuery]] = {}
        for q in self:
            if q.figure and q.kind:
                out.setdefault(q.figure, {})[q.kind] = q
        return out


@cache
def catalogue() -> QueryCatalogue:
    """The shipped catalogue (loaded once)."""
    return QueryCatalogue()
