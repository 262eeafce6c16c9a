"""The same contract for every backend: memory, oxigraph on disk, remote oxigraph serve, remote Virtuoso."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from graph.errors import QueryError, StoreError
from graph.store import Dataset, Store

NT = ox.RdfFormat.N_TRIPLES
EX = "http://example.org/"
PUB1, PUB2, RESTRICTED = f"{EX}graph/pub1", f"{EX}graph/pub2", f"{EX}graph/restricted"
XSD = "http://www.w3.org/2001/XMLSchema#"


def triples(prefix: str, n: int) -> str:
    return "".join(f'<{EX}{prefix}/{i}> <{EX}p> "{prefix} {i}" .\n' for i in range(n))


def subjects(store: Store, sparql: str, dataset: Dataset | None = None) -> set[str]:
    return {str(row.get("s", row.get("g"))) for row in store.select(sparql, dataset=dataset)}


def fill_three(store: Store) -> None:
    store.load(triples("a", 3), NT, graph=PUB1)
    store.load(triples("b", 2), NT, graph=PUB2)
    store.load(f'<{EX}person/1> <{EX}email> "secret@example.org" .\n', NT, graph=RESTRICTED)


def test_load_then_query(store: Store) -> None:
    store.load(triples("a", 5), NT, graph=PUB1)
    rows = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{PUB1}> {{ ?s ?p ?o }} }}")
    assert rows == [{"n": 5}]
    assert store.count(PUB1) == 5
    assert store.count() == 5
    assert store.named_graphs() == [PUB1]


def test_load_quads_into_several_graphs(store: Store) -> None:
    trig = f'<{EX}x> <{EX}p> "1" <{PUB1}> .\n<{EX}y> <{EX}p> "2" <{PUB2}> .\n'
    store.load(trig, ox.RdfFormat.N_QUADS)
    assert store.named_graphs() == [PUB1, PUB2]
    assert (store.count(PUB1), store.count(PUB2)) == (1, 1)


def test_a_syntax_error_half_way_leaves_the_store_unchanged(store: Store) -> None:
    store.load(triples("a", 3), NT, graph=PUB1)
    before = (store.count(), store.state(), store.dump(ox.RdfFormat.N_QUADS))
    bad = triples("z", 50) + f"<{EX}broken> <{EX}p  .\n" + triples("y", 50)
    with pytest.raises(StoreError, match="refused the data"):
        store.load(bad, NT, graph=PUB1)
    with pytest.raises(StoreError):
        store.load(bad, NT, graph=PUB2)
    with pytest.raises(StoreError):
        store.replace_graph(PUB1, bad, NT)
    assert (store.count(), store.state(), store.dump(ox.RdfFormat.N_QUADS)) == before
    assert store.named_graphs() == [PUB1]


def test_replace_graph(store: Store) -> None:
    store.load(triples("a", 4), NT, graph=PUB1)
    store.load(triples("b", 2), NT, graph=PUB2)
    store.replace_graph(PUB1, triples("c", 3), NT)
    assert subjects(store, f"SELECT ?s WHERE {{ GRAPH <{PUB1}> {{ ?s ?p ?o }} }}") == {
        f"{EX}c/{i}" for i in range(3)
    }
    assert store.count(PUB2) == 2
    store.replace_graph(PUB2, "", NT)
    assert store.count(PUB2) == 0
    assert store.named_graphs() == [PUB1]


def test_the_default_graph_is_the_chosen_graphs_only(store: Store) -> None:
    fill_three(store)
    seen = subjects(store, "SELECT ?s WHERE { ?s ?p ?o }", Dataset(default=(PUB1,), named=(PUB2,)))
    assert seen == {f"{EX}a/{i}" for i in range(3)}
    both = subjects(store, "SELECT ?s WHERE { ?s ?p ?o }", Dataset(default=(PUB1, PUB2)))
    assert both == {f"{EX}a/{i}" for i in range(3)} | {f"{EX}b/{i}" for i in range(2)}


QUERIES_THAT_TRY_THE_RESTRICTED_GRAPH = [
    "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
    f"SELECT ?s WHERE {{ GRAPH <{RESTRICTED}> {{ ?s ?p ?o }} }}",
    f"SELECT ?s FROM <{RESTRICTED}> WHERE {{ ?s ?p ?o }}",
    f"SELECT ?g FROM NAMED <{RESTRICTED}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    f"PREFIX r: <{EX}graph/>\nSELECT ?g FROM r:restricted FROM NAMED r:restricted WHERE "
    "{ { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }",
    f"SELECT ?s WHERE {{ ?s <{EX}email> ?o }}",
]


@pytest.mark.parametrize("sparql", QUERIES_THAT_TRY_THE_RESTRICTED_GRAPH)
def test_graphs_not_listed_are_invisible(store: Store, sparql: str) -> None:
    fill_three(store)
    public = Dataset(default=(PUB1,), named=(PUB1, PUB2))
    rows = store.select(sparql, dataset=public)
    values = {str(v) for row in rows for v in row.values()}
    assert RESTRICTED not in values
    assert f"{EX}person/1" not in values
    assert not store.ask('ASK { ?s ?p "secret@example.org" }', dataset=public)
    assert not store.ask('ASK { GRAPH ?g { ?s ?p "secret@example.org" } }', dataset=public)
    # and the restricted graph is there for a query that lists it
    assert store.ask('ASK { ?s ?p "secret@example.org" }', dataset=Dataset(default=(RESTRICTED,)))


def test_no_named_graphs_when_none_are_listed(store: Store) -> None:
    fill_three(store)
    rows = store.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=Dataset(default=(PUB1,)))
    assert rows == []
    listed = store.select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=Dataset(named=(PUB2,))
    )
    assert listed == [{"g": PUB2}]
    # nothing in the default graph when it lists no graph
    assert store.select("SELECT ?s WHERE { ?s ?p ?o }", dataset=Dataset(named=(PUB2,))) == []


def test_ask_construct_describe_select(store: Store) -> None:
    store.load(triples("a", 2) + f"<{EX}a/0> <{EX}q> <{EX}a/1> .\n", NT, graph=PUB1)
    scope = Dataset(default=(PUB1,))
    ask = store.query(f"ASK {{ <{EX}a/0> <{EX}q> ?o }}", dataset=scope)
    assert isinstance(ask, ox.QueryBoolean) and bool(ask) is True
    assert bool(store.query(f"ASK {{ <{EX}a/1> <{EX}q> ?o }}", dataset=scope)) is False

    built = set(store.query(f"CONSTRUCT {{ ?o <{EX}inverse> ?s }} WHERE {{ ?s <{EX}q> ?o }}", dataset=scope))
    assert built == {
        ox.Triple(ox.NamedNode(f"{EX}a/1"), ox.NamedNode(f"{EX}inverse"), ox.NamedNode(f"{EX}a/0"))
    }

    described = set(store.query(f"DESCRIBE <{EX}a/0>", dataset=scope))
    subject = ox.NamedNode(f"{EX}a/0")
    assert ox.Triple(subject, ox.NamedNode(f"{EX}q"), ox.NamedNode(f"{EX}a/1")) in described
    assert ox.Triple(subject, ox.NamedNode(f"{EX}p"), ox.Literal("a 0")) in described

    solutions = store.query(f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s", dataset=scope)
    assert isinstance(solutions, ox.QuerySolutions)
    assert [v.value for v in solutions.variables] == ["s", "o"]
    assert [(row["s"], row["o"]) for row in solutions] == [
        (ox.NamedNode(f"{EX}a/{i}"), ox.Literal(f"a {i}")) for i in range(2)
    ]


LITERALS = [
    ox.Literal("2030", datatype=ox.NamedNode(f"{XSD}gYear")),
    ox.Literal("12.5", datatype=ox.NamedNode(f"{XSD}decimal")),
    ox.Literal("42", datatype=ox.NamedNode(f"{XSD}integer")),
    ox.Literal("true", datatype=ox.NamedNode(f"{XSD}boolean")),
    ox.Literal("Einsamkeit bei Jugendlichen", language="de"),
    ox.Literal("youth loneliness", language="en"),
    ox.Literal('plain "quoted" text\nwith a line break and ünïcödé'),
]


def test_typed_literals_round_trip(store: Store) -> None:
    body = "".join(f"<{EX}lit/{i}> <{EX}value> {lit} .\n" for i, lit in enumerate(LITERALS))
    store.load(body, NT, graph=PUB1)
    rows = store.query(f"SELECT ?s ?v WHERE {{ GRAPH <{PUB1}> {{ ?s <{EX}value> ?v }} }}")
    got = {row["s"].value: row["v"] for row in rows}
    assert got == {f"{EX}lit/{i}": lit for i, lit in enumerate(LITERALS)}
    as_python = {
        r["s"]: r["v"] for r in store.select(f"SELECT ?s ?v WHERE {{ GRAPH <{PUB1}> {{ ?s ?v0 ?v }} }}")
    }
    assert as_python[f"{EX}lit/0"] == 2030 and as_python[f"{EX}lit/1"] == 12.5
    dumped = ox.Store()
    dumped.load(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    assert {q.object for q in dumped} == set(LITERALS)


def test_state_changes_on_every_write(store: Store) -> None:
    states = [store.state()]
    store.load(triples("a", 1), NT, graph=PUB1)
    states.append(store.state())
    store.query("SELECT * WHERE { ?s ?p ?o }")  # reading changes nothing
    assert store.state() == states[-1]
    store.update(f'INSERT DATA {{ GRAPH <{PUB2}> {{ <{EX}u> <{EX}p> "u" }} }}')
    states.append(store.state())
    store.replace_graph(PUB1, triples("c", 1), NT)
    states.append(store.state())
    assert len(set(states)) == len(states)
    assert store.count(PUB2) == 1


def test_update_with_prefixes_and_comments(store: Store) -> None:
    store.update(f"PREFIX ex: <{EX}>\nINSERT DATA {{ GRAPH <{PUB1}> {{ ex:s ex:p 1 }} }} # last line;")
    assert store.count(PUB1) == 1


def test_bad_query_is_a_query_error_with_the_parser_message(store: Store) -> None:
    with pytest.raises(QueryError) as info:
        store.query("SELECT ?s WHERE { ?s ?p }")
    assert info.value.detail.strip()
    with pytest.raises(QueryError):
        store.update("INSERT DATA { GRAPH <x:y> { <a:b> <c:d> } }")


def test_dump_round_trips(store: Store) -> None:
    fill_three(store)
    again = ox.Store()
    again.load(store.dump(ox.RdfFormat.N_QUADS), format=ox.RdfFormat.N_QUADS)
    assert len(again) == 6
    one = store.dump(ox.RdfFormat.TURTLE, graphs=[PUB2])
    assert len(list(ox.parse(one, format=ox.RdfFormat.TURTLE))) == 2


def test_bulk_load_of_a_file(store: Store, tmp_path) -> None:
    path = tmp_path / "bulk.nt"
    path.write_text(triples("bulk", 250))
    before = store.state()
    store.bulk_load(path, NT, graph=PUB2)
    assert store.count(PUB2) == 250
    assert store.state() != before


def test_on_disk_oxigraph_keeps_its_content_across_reopen(tmp_path) -> None:
    from graph.store import OxigraphStore

    first = OxigraphStore(tmp_path / "store")
    first.load(triples("a", 7), NT, graph=PUB1)
    state = first.state()
    first.close()
    again = OxigraphStore(tmp_path / "store")
    assert again.count(PUB1) == 7 and again.state() == state
    again.close()


def test_a_large_load_into_several_graphs_lands_whole(store: Store) -> None:
    # more triples than Virtuoso accepts in one INSERT DATA
    body = "".join(f'<{EX}s/{i}> <{EX}p> "v {i}" <{PUB1 if i % 3 else PUB2}> .\n' for i in range(9000))
    store.load(body, ox.RdfFormat.N_QUADS)
    assert (store.count(PUB1), store.count(PUB2)) == (6000, 3000)
    assert store.named_graphs() == [PUB1, PUB2]
    before = store.state()
    with pytest.raises(StoreError):
        store.load(body + "<broken", ox.RdfFormat.N_QUADS)
    assert (store.count(PUB1), store.count(PUB2), store.state()) == (6000, 3000, before)


def test_group_concat_with_and_without_separator(store: Store) -> None:
    store.load(triples("a", 3), NT, graph=PUB1)
    scope = Dataset(default=(PUB1,))
    rows = store.select(
        'SELECT (GROUP_CONCAT(?o) AS ?all) (GROUP_CONCAT(?o; SEPARATOR="|") AS ?bars) '
        "WHERE { SELECT ?o WHERE { ?s ?p ?o } ORDER BY ?o }",
        dataset=scope,
    )
    assert sorted(rows[0]["all"].split(" ")) == ["0", "1", "2", "a", "a", "a"]
    assert sorted(rows[0]["bars"].split("|")) == ["a 0", "a 1", "a 2"]


def test_union_default_graph(store: Store) -> None:
    fill_three(store)
    union = Dataset(union=True)
    seen = subjects(store, f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }}", union)
    assert seen == {f"{EX}a/{i}" for i in range(3)} | {f"{EX}b/{i}" for i in range(2)}
    assert store.select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", dataset=union) == []
