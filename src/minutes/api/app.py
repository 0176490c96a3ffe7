"""The FastAPI application: one pool, one storage, the routers, the web page."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources

import psycopg
import structlog
from fastapi import FastAPI, Request, Response
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from minutes import __version__
from minutes.api import events, meetings, openai_audio, service, speakers, web
from minutes.api.limits import BodySizeLimit
from minutes.config import Settings
from minutes.db import open_pool, resolve_database_url
from minutes.storage import open_storage

log = structlog.get_logger(__name__)

MULTIPART_OVERHEAD = 1 << 20
"""Room for form fields and boundaries beside the largest allowed recording."""


def create_api(settings: Settings) -> FastAPI:
    database_url = resolve_database_url(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.pool = open_pool(database_url, max_size=settings.api_pool_size)
        try:
            yield
        finally:
            app.state.pool.close()

    api = FastAPI(
        title="minutes",
        version=__version__,
        description="Recordings in, minutes out: transcripts, speakers, summaries, search.",
        lifespan=lifespan,
    )
    api.state.settings = settings
    api.state.started = time.time()
    api.state.database_url = database_url
    api.state.storage = open_storage(settings)
    routers = (meetings, events, speakers, service, openai_audio, web)
    for module in routers:
        api.include_router(module.router)
    static = resources.files("minutes.web") / "static"
    api.mount("/static", StaticFiles(directory=str(static)), name="static")
    if settings.cors_origins:
        api.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "Range"],
            expose_headers=["Content-Range", "Accept-Ranges"],
        )
    api.add_middleware(BodySizeLimit, limit=settings.max_file_bytes + MULTIPART_OVERHEAD)
    api.add_exception_handler(psycopg.errors.DataError, _unstorable_input)
    api.add_exception_handler(openai_audio.OpenAIError, openai_audio.openai_error)
    api.middleware("http")(_log_request)
    return api


async def _log_request(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """One line per request: method, path (never the query, which may carry a signed link),
    status and milliseconds; headers, and so API keys, are never logged."""
    started = time.perf_counter()
    response = await call_next(request)
    log.info(
        "http.request",
        method=request.method,
        path=request.url.path,
        status=response.status_code,
        ms=round(1000 * (time.perf_counter() - started), 1),
    )
    return response


async def _unstorable_input(request: Request, error: Exception) -> JSONResponse:
    """Text Postgres refuses (NUL bytes, out-of-range numbers) is the caller's mistake."""
    return JSONResponse({"detail": f"invalid input: {error}"}, status_code=422)
