"""Structured logs: pretty on a terminal, JSON lines everywhere else, and rotating files.

With MINUTES_LOG_DIR set, every line also goes as JSON to `<dir>/minutes.log`, and errors
to `<dir>/errors.log` as well, so a failure is found without reading the whole log. Both
rotate by size. Library logs (procrastinate, uvicorn, ...) are formatted the same way.
"""

from __future__ import annotations

import logging
import sys
from logging.handlers import RotatingFileHandler

import structlog

from minutes.config import Settings

_SHARED: list[structlog.types.Processor] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def _formatter(json_lines: bool) -> logging.Formatter:
    renderers: list[structlog.types.Processor] = (
        [structlog.processors.format_exc_info, structlog.processors.JSONRenderer()]
        if json_lines
        else [structlog.dev.ConsoleRenderer()]
    )
    return structlog.stdlib.ProcessorFormatter(
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *renderers],
        foreign_pre_chain=_SHARED,
    )


def _file_handlers(settings: Settings) -> list[logging.Handler]:
    if settings.log_dir is None:
        return []
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = []
    for name, floor in (("minutes.log", logging.NOTSET), ("errors.log", logging.ERROR)):
        handler = RotatingFileHandler(
            settings.log_dir / name,
            maxBytes=settings.log_file_bytes,
            backupCount=settings.log_file_backups,
            encoding="utf-8",
        )
        handler.setLevel(floor)
        handler.setFormatter(_formatter(json_lines=True))
        handlers.append(handler)
    return handlers


def configure_logging(settings: Settings) -> None:
    json_lines = settings.log_format == "json" or (
        settings.log_format == "auto" and not sys.stderr.isatty()
    )
    level = logging.getLevelName(settings.log_level)
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setFormatter(_formatter(json_lines))
    logging.basicConfig(level=level, handlers=[terminal, *_file_handlers(settings)], force=True)
    for noisy in ("procrastinate", "faster_whisper", "httpx", "psycopg.pool"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        # Through the standard library, so a closed stderr never breaks a stage.
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
