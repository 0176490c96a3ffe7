"""The FastAPI application: one pool, one storage, the routers, the web page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

import psycopg
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from minutes import __version__
from minutes.api import events, meetings, service, speakers, web
from minutes.api.limits import BodySizeLimit
from minutes.config import Settings
from minutes.db import open_pool, resolve_database_url
from minutes.storage import open_storage

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
    api.state.database_url = database_url
    api.state.storage = open_storage(settings)
    for router in (meetings.router, events.router, speakers.router, service.router, web.router):
        api.include_router(router)
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
    return api


async def _unstorable_input(request: Request, error: Exception) -> JSONResponse:
    """Text Postgres refuses (NUL bytes, out-of-range numbers) is the caller's mistake."""
    return JSONResponse({"detail": f"invalid input: {error}"}, status_code=422)
