"""The web page at `/` (its script and styles are under /static)."""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def index() -> HTMLResponse:
    page = (resources.files("minutes.web") / "static" / "index.html").read_text()
    return HTMLResponse(page)
