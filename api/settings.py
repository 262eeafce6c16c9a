"""All settings in one place, read from the environment with the MISSIONGRAPH_ prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.iris import Iris
from graph.pseudonyms import load_or_create_key

__all__ = ["Settings"]


class Settings(BaseSettings):
    """Read only by the composition root (``api.app.create_app``) and the CLI; documented in the README."""

    model_config = SettingsConfigDict(env_prefix="MISSIONGRAPH_", env_file=None, extra="ignore")

    data_dir: Path = Field(Path("var"), description="Where the store, index and job files live.")
    base_iri: str = Field(
        "http://127.0.0.1:8000/", description="Base of instance IRIs; the server's own address."
    )
    store: Literal["oxigraph", "memory", "remote"] = Field("oxigraph", description="Store backend.")
    remote_query_url: str | None = Field(None, description="Remote SPARQL query endpoint.")
    remote_update_url: str | None = Field(None, description="Remote SPARQL update endpoint.")
    remote_gsp_url: str | None = Field(None, description="Remote Graph Store Protocol endpoint.")
    remote_user: str | None = Field(None, description="User for the remote endpoint (basic/digest).")
    remote_password: SecretStr | None = Field(None, description="Password for the remote endpoint.")
    remote_auth: Literal["none", "basic", "digest", "bearer"] = Field(
        "none", description="Authentication scheme for the remote endpoint."
    )
    search_engine: Literal["whoosh", "tantivy"] = Field(
        "tantivy", description="Full-text engine (decisions/0013: tantivy by default, whoosh available)."
    )
    semantic: bool = Field(True, description="Fuse sentence-embedding ranking into search.")
    sparql_timeout: float = Field(10.0, description="Default and maximum SPARQL query time, seconds.")
    sparql_row_cap: int = Field(10_000, description="Most rows a public SPARQL SELECT returns.")
    sparql_workers: int = Field(
        2, description="Worker processes that run SPARQL queries (killed on timeout)."
    )
    upload_max_bytes: int = Field(50_000_000, description="Largest survey export `POST /api/loads` accepts.")
    min_free_bytes: int = Field(
        32_000_000,
        description="Free disk space under the data directory below which /health reports the disk full "
        "(503): loads and index updates would fail.",
    )
    upload_retention_days: float = Field(
        0,
        description="Days an uploaded survey export is kept after its load job ended (0: deleted at once).",
    )
    sparql_max_body_bytes: int = Field(
        1_000_000, description="Largest `POST /sparql` body (a query or a form), bytes; larger gets 413."
    )
    sparql_max_answer_bytes: int = Field(
        50_000_000,
        description="Most bytes of result terms one SPARQL answer carries; beyond it the answer is cut "
        "like at the row cap (`X-Result-Truncated: true`).",
    )
    max_body_bytes: int = Field(1_000_000, description="Largest request body of any other POST route, bytes.")
    small_count_k: int = Field(5, description="Public counts below k are shown as '<k'.")
    lab_token_hashes: list[str] = Field(
        default_factory=list,
        description="sha256 hex digests of the Lab's bearer tokens (JSON list in the environment).",
    )
    rate_limit_per_minute: int = Field(120, description="Expensive requests per client per minute.")
    workers: int = Field(
        0,
        description="HTTP worker processes of `missiongraph serve` (0: the number of cores; 1: one process).",
    )
    writer_url: str | None = Field(
        None,
        description="Set by `serve --workers N` in its worker processes: the internal address of the "
        "writer. A worker opens the store read-only, follows the writer's snapshots and forwards loads.",
    )
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Addresses or networks of reverse proxies whose X-Forwarded-For is believed (JSON "
        'list, e.g. ["127.0.0.1"]); empty: the header is ignored and each peer address is a client.',
    )
    host: str = Field("127.0.0.1", description="Address `missiongraph serve` binds to.")
    port: int = Field(8000, description="Port `missiongraph serve` listens on.")

    def iris(self) -> Iris:
        """The deployment's IRIs, keyed with its pseudonym key (made in ``data_dir`` on first use)."""
        return Iris(self.base_iri, key=load_or_create_key(self.data_dir))

    @property
    def store_path(self) -> Path:
        return self.data_dir / "store"

    @property
    def snapshots_path(self) -> Path:
        """Read-only snapshots of the store that every write publishes (graph/store/snapshots)."""
        return self.data_dir / "snapshots"

    @property
    def index_path(self) -> Path:
        return self.data_dir / "index"

    @property
    def jobs_path(self) -> Path:
        return self.data_dir / "jobs"
