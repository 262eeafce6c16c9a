"""Per-client rate limit for expensive routes (search, peers, SPARQL, loads): a token bucket per client."""

from __future__ import annotations

import math
import threading
import time

from fastapi import Request

from api.context import AppContext
from graph.errors import RateLimitedError

__all__ = ["RateLimiter", "rate_limited"]


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


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def rate_limited(request: Request) -> None:
    """FastAPI dependency for expensive routes: 429 problem with Retry-After when over the limit."""
    ctx: AppContext = request.app.state.ctx
    limiter = ctx.extras.get("rate_limiter")
    if limiter is None:
        limiter = ctx.extras.setdefault("rate_limiter", RateLimiter(ctx.settings.rate_limit_per_minute))
    wait = limiter.hit(_client(request))
    if wait > 0:
        retry = max(1, math.ceil(wait))
        raise RateLimitedError(
            f"too many expensive requests from this client; retry in {retry} s", retry_after=retry
        )
