"""Per-client rate limit for expensive routes (search, peers, SPARQL, loads): a token bucket per client."""

from __future__ import annotations

import ipaddress
import math
import threading
import time

from fastapi import Request

from api.context import AppContext
from graph.errors import RateLimitedError

__all__ = ["RateLimiter", "rate_limited", "client_address"]


class RateLimiter:
    """``per_minute`` requests per client and minute, with bursts up to the same number."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.rate = per_minute / 60.0
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str) -> float:
        """Take one token for ``client``; 0.0 when allowed, else the seconds until the next token."""
        if self.per_minute <= 0:
            return 0.0
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.get(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * self.rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                if len(self._buckets) > 10_000:  # forget idle clients so memory stays bounded
                    self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < 120}
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1.0 - tokens) / self.rate


def _trusted(address: str, proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in proxies:
        try:
            if ip in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def client_address(request: Request, proxies: list[str]) -> str:
    """The client a request is counted for: the peer, unless the peer is a trusted proxy
    (``MISSIONGRAPH_TRUSTED_PROXIES``); then the right-most X-Forwarded-For address that is not one."""
    peer = request.client.host if request.client else "unknown"
    if not proxies or not _trusted(peer, proxies):
        return peer  # a header anyone can write counts for nothing
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else peer


async def rate_limited(request: Request) -> None:
    """FastAPI dependency for expensive routes: 429 problem with Retry-After when over the limit (async:
    a short in-memory check, run on the event loop rather than through the thread pool)."""
    ctx: AppContext = request.app.state.ctx
    wait = ctx.rate_limiter.hit(client_address(request, ctx.settings.trusted_proxies))
    if wait > 0:
        retry = max(1, math.ceil(wait))
        raise RateLimitedError(
            f"too many expensive requests from this client; retry in {retry} s", retry_after=retry
        )
