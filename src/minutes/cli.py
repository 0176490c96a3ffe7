"""The `minutes` command: process, enqueue, run workers, inspect and export meetings."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from uuid import UUID

import typer
from procrastinate import App
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from minutes import exports, jobs
from minutes.config import Settings, SettingsError, load_settings
from minutes.db import Connection, api_keys, connect, resolve_database_url
from minutes.db import meetings as store
from minutes.db import speakers as profiles
from minutes.db.chunks import search
from minutes.db.documents import get_document, load_record
from minutes.db.migrate import migrate
from minutes.db.speakers import meeting_voices
from minutes.doctor import run_checks
from minutes.errors import BadInput
from minutes.logs import configure_logging
from minutes.pipeline import STAGES
from minutes.pipeline.reprocess import CannotReprocess
from minutes.pipeline.reprocess import reprocess as reprocess_from
from minutes.speakers.enrolment import enrol
from minutes.summary.extractive import TextEncoder
from minutes.transcript import clock
from minutes.weights import bundled_llm

STAGE_NAMES = [stage.name for stage in STAGES]
app = typer.Typer(no_args_is_help=True, add_completion=False, help=__doc__)
db_app = typer.Typer(no_args_is_help=True, help="Database maintenance.")
app.add_typer(db_app, name="db")
speakers_app = typer.Typer(no_args_is_help=True, help="Known voices, matched in every meeting.")
app.add_typer(speakers_app, name="speakers")
models_app = typer.Typer(no_args_is_help=True, help="The bundled models.")
app.add_typer(models_app, name="models")
keys_app = typer.Typer(no_args_is_help=True, help="API keys for `minutes serve`.")
app.add_typer(keys_app, name="keys")

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True)

Format = Annotated[
    exports.Format, typer.Option("--format", "-f", help="txt | json | srt | vtt | md")
]
Title = Annotated[str | None, typer.Option(help="Meeting title (default: the file name).")]
Language = Annotated[str | None, typer.Option(help="Language code, e.g. en; default detects it.")]
Model = Annotated[str | None, typer.Option(help="Speech model: base, tiny.en, a name or a path.")]
Speakers = Annotated[
    int | None, typer.Option("--speakers", min=1, help="How many people speak, when known.")
]
MinSpeakers = Annotated[int | None, typer.Option(min=1, help="At least this many speakers.")]
MaxSpeakers = Annotated[int | None, typer.Option(min=1, help="At most this many speakers.")]
Priority = Annotated[
    int, typer.Option(min=-100, max=100, help="Higher is taken from the queue first.")
]


class MeetingStuck(Exception):
    """The meeting is unfinished but nothing is queued for it any more."""


def _settings(*, quiet: bool = False) -> Settings:
    """Load settings; `quiet` logs only warnings unless a log level was set explicitly,
    for commands whose progress bar already tells the story."""
    try:
        settings = load_settings()
    except SettingsError as error:
        err.print(f"[red]error:[/red] {error}")
        raise typer.Exit(2) from None
    if quiet and "log_level" not in settings.model_fields_set:
        settings = settings.model_copy(update={"log_level": "WARNING"})
    configure_logging(settings)
    return settings


def _source(source: str) -> str:
    """URLs pass through; local paths become absolute so any worker's cwd finds them."""
    if urlsplit(source).scheme.lower() in ("http", "https", "s3", "file"):
        return source
    return str(Path(source).expanduser().absolute())


def _create(
    url: str, source: str, title: str | None, priority: int = 0, **requested: object
) -> store.Meeting:
    options = {key: value for key, value in requested.items() if value}
    with connect(url) as conn:
        return store.create_meeting(
            conn,
            audio_url=_source(source),
            title=title or Path(urlsplit(source).path).name,
            options=options,
            priority=priority,
        )


def _existing(conn: Connection, meeting_id: UUID) -> store.Meeting:
    meeting = store.get_meeting(conn, meeting_id)
    if meeting is None:
        err.print(f"[red]error:[/red] no meeting {meeting_id}")
        raise typer.Exit(1)
    return meeting


def _print_transcript(url: str, meeting_id: UUID, fmt: exports.Format) -> None:
    """Markdown is the stored document once summarize wrote it; the rest render from the rows."""
    with connect(url) as conn:
        _existing(conn, meeting_id)
        stored = get_document(conn, meeting_id) if fmt == "md" else None
        record = load_record(conn, meeting_id)
    assert record is not None
    sys.stdout.write(stored or exports.render(record, fmt))


@app.command()
def process(
    source: Annotated[str, typer.Argument(help="A file path or an http(s) URL.")],
    title: Title = None,
    language: Language = None,
    model: Model = None,
    speakers: Speakers = None,
    min_speakers: MinSpeakers = None,
    max_speakers: MaxSpeakers = None,
    fmt: Format = "txt",
) -> None:
    """Process one recording now, with a worker in this process, and print the result."""
    settings = _settings(quiet=True)
    url = resolve_database_url(settings)
    meeting = _create(
        url,
        source,
        title,
        language=language,
        model=model,
        num_speakers=speakers,
        min_speakers=min_speakers,
        max_speakers=max_speakers,
    )
    err.print(f"meeting [bold]{meeting.id}[/bold]")
    _work_and_print(settings, url, meeting.id, fmt)


@app.command()
def reprocess(
    meeting_id: UUID,
    from_stage: Annotated[
        str, typer.Option("--from", help=f"First stage to run again: {', '.join(STAGE_NAMES)}.")
    ],
    speakers: Annotated[
        int | None, typer.Option("--speakers", min=0, help="How many people speak; 0 detects it.")
    ] = None,
    language: Language = None,
    wait: Annotated[bool, typer.Option(help="Run a worker here and print the result.")] = True,
    fmt: Format = "txt",
) -> None:
    """Run a meeting again from one stage on (e.g. re-diarize without transcribing again)."""
    settings = _settings(quiet=wait)
    url = resolve_database_url(settings)
    options: dict[str, object] = {}
    if speakers is not None:
        options.update(num_speakers=speakers or None, min_speakers=None, max_speakers=None)
    if language:
        options["language"] = language
    with connect(url) as conn:
        try:
            reprocess_from(conn, meeting_id, from_stage, options)
        except CannotReprocess as error:
            err.print(f"[red]error:[/red] {error}")
            raise typer.Exit(1) from None
    if wait:
        _work_and_print(settings, url, meeting_id, fmt)
    else:
        out.print(f"queued {meeting_id} from {from_stage}")


def _work_and_print(settings: Settings, url: str, meeting_id: UUID, fmt: exports.Format) -> None:
    """Run a worker here until the meeting is finished, then print it (or why it failed)."""
    try:
        finished = asyncio.run(_process_until_finished(settings, url, meeting_id))
    except MeetingStuck as error:
        err.print(f"[red]error:[/red] {error}; see `minutes status {meeting_id}`")
        raise typer.Exit(1) from None
    if finished.status == "failed":
        err.print(f"[red]failed:[/red] {finished.error_message}")
        raise typer.Exit(1)
    _print_transcript(url, finished.id, fmt)
    with connect(url) as conn:
        voices = meeting_voices(conn, finished.id)
    err.print(
        "speakers: "
        + ", ".join(f"{v['name'] or v['label']} ({v['seconds']:.0f} s)" for v in voices)
    )


async def _process_until_finished(settings: Settings, url: str, meeting_id: UUID) -> store.Meeting:
    app, resources = jobs.create_app(settings, url)
    try:
        async with app.open_async():
            worker = asyncio.create_task(
                jobs.run_worker(app, settings, resources=resources, install_signal_handlers=False)
            )
            try:
                return await _follow(app, url, meeting_id, worker)
            finally:
                worker.cancel()
                await asyncio.gather(worker, return_exceptions=True)
    finally:
        resources.close()


async def _follow(
    app: App, url: str, meeting_id: UUID, worker: asyncio.Task[None]
) -> store.Meeting:
    """Show stage and percent on stderr until the meeting is finished."""
    columns = (
        TextColumn("{task.description:<12}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
    )
    with connect(url) as conn, Progress(*columns, console=err, transient=True) as bar:
        task = bar.add_task("queued", total=100)
        while True:
            meeting = await asyncio.to_thread(store.get_meeting, conn, meeting_id)
            assert meeting is not None
            bar.update(task, completed=meeting.progress, description=meeting.stage or "queued")
            if meeting.finished:
                return meeting
            if not await asyncio.to_thread(store.has_queued_work, conn, meeting_id):
                raise MeetingStuck(f"meeting {meeting_id} is {meeting.status} with no job left")
            if worker.done():
                worker.result()
                raise RuntimeError("the worker stopped before the meeting finished")
            await asyncio.sleep(0.25)


@app.command()
def enqueue(
    source: Annotated[str, typer.Argument(help="A file path or an http(s) URL.")],
    title: Title = None,
    language: Language = None,
    model: Model = None,
    speakers: Speakers = None,
    priority: Priority = 0,
) -> None:
    """Queue a recording for the workers and print its meeting id."""
    settings = _settings()
    url = resolve_database_url(settings)
    meeting = _create(
        url, source, title, priority, language=language, model=model, num_speakers=speakers
    )
    out.print(str(meeting.id))


@app.command()
def worker(
    queues: Annotated[
        str | None, typer.Option(help=f"Comma-separated, of {', '.join(jobs.QUEUES)}; default all.")
    ] = None,
    concurrency: Annotated[int, typer.Option(min=1, help="Jobs run at once.")] = 1,
    once: Annotated[bool, typer.Option(help="Stop when the queues are empty.")] = False,
) -> None:
    """Run a worker until SIGTERM/SIGINT (running jobs finish or are released)."""
    settings = _settings()
    url = resolve_database_url(settings)
    app, resources = jobs.create_app(settings, url)
    names = [name.strip() for name in queues.split(",")] if queues else None

    async def run() -> None:
        async with app.open_async():
            await jobs.run_worker(
                app,
                settings,
                resources=resources,
                queues=names,
                concurrency=concurrency,
                once=once,
            )

    try:
        asyncio.run(run())
    finally:
        resources.close()


@app.command()
def status(meeting_id: Annotated[UUID | None, typer.Argument()] = None) -> None:
    """Show one meeting in detail, or a table of the latest ones."""
    settings = _settings()
    url = resolve_database_url(settings)
    with connect(url) as conn:
        if meeting_id is not None:
            _print_meeting(_existing(conn, meeting_id))
            return
        rows = store.list_meetings(conn)
    table = Table(
        Column("id", no_wrap=True, min_width=36),
        Column("status", no_wrap=True),
        Column("stage", no_wrap=True),
        Column("progress", no_wrap=True, justify="right"),
        Column("duration", no_wrap=True, justify="right"),
        "title",
        "error",
    )
    for meeting in rows:
        table.add_row(
            str(meeting.id),
            meeting.status,
            meeting.stage or "",
            f"{meeting.progress:.0f}%",
            f"{meeting.duration_seconds:.0f} s" if meeting.duration_seconds else "",
            meeting.title or "",
            meeting.error_message or "",
        )
    _print_table(table, min_width=140)


def _print_table(table: Table, min_width: int) -> None:
    """Tables stay whole when stdout is a pipe, whose width rich takes as 80 columns."""
    Console(width=max(out.width, min_width), highlight=False).print(table)


def _print_meeting(meeting: store.Meeting) -> None:
    details = {
        "id": meeting.id,
        "title": meeting.title,
        "status": meeting.status,
        "stage": meeting.stage,
        "progress": f"{meeting.progress:.0f}%",
        "error": meeting.error_message,
        "source": meeting.source,
        "duration": f"{meeting.duration_seconds:.1f} s" if meeting.duration_seconds else None,
        "language": meeting.language,
        "processed by": meeting.processed_by,
        "created": meeting.created_at.isoformat(timespec="seconds"),
        "updated": meeting.updated_at.isoformat(timespec="seconds"),
    }
    for key, value in details.items():
        if value is not None:
            sys.stdout.write(f"{key + ':':<14}{value}\n")


@app.command()
def export(meeting_id: UUID, fmt: Format = "txt") -> None:
    """Print a meeting's transcript in one of the export formats."""
    settings = _settings()
    _print_transcript(resolve_database_url(settings), meeting_id, fmt)


@app.command("search")
def search_meetings(
    query: str,
    meeting: Annotated[UUID | None, typer.Option(help="Only this meeting.")] = None,
    speaker: Annotated[str | None, typer.Option(help="Only what this speaker said.")] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Only meetings from this date on.", formats=["%Y-%m-%d"])
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100)] = 10,
) -> None:
    """Find what was said, by meaning and by words, across every meeting."""
    settings = _settings()
    vector = TextEncoder.load().embed([query])[0]
    with connect(resolve_database_url(settings)) as conn:
        hits = search(
            conn,
            query,
            vector,
            meeting_id=meeting,
            speaker=speaker,
            since=since.replace(tzinfo=UTC) if since else None,
            limit=limit,
        )
    if not hits:
        err.print("no matches")
        raise typer.Exit(1)
    for hit in hits:
        who = f"({hit.section})" if hit.section else f"{hit.speaker or ''}:"
        sys.stdout.write(
            f"{hit.meeting_id}  {hit.title or ''}  [{clock(hit.start)}] {who} {hit.text}\n"
        )


@speakers_app.command("enroll")
def speakers_enroll(
    name: str,
    recordings: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False)],
) -> None:
    """Enrol (or improve) a voice from recordings of that person alone."""
    settings = _settings()
    with connect(resolve_database_url(settings)) as conn:
        try:
            speaker_id = enrol(conn, settings, name, recordings)
        except BadInput as error:
            err.print(f"[red]error:[/red] {error}")
            raise typer.Exit(1) from None
    out.print(f"enrolled {name} ({speaker_id}) from {len(recordings)} recording(s)")


@speakers_app.command("list")
def speakers_list() -> None:
    """The enrolled voices."""
    settings = _settings()
    with connect(resolve_database_url(settings)) as conn:
        rows = profiles.list_profiles(conn)
    table = Table(Column("id", no_wrap=True, min_width=36), "name", "confirmed turns", "meetings")
    for row in rows:
        table.add_row(str(row.id), row.name, str(row.audio_samples), str(row.meetings))
    _print_table(table, min_width=120)


@speakers_app.command("name")
def speakers_name(meeting_id: UUID, label: str, name: str) -> None:
    """Say who a meeting's voice is (e.g. SPEAKER_01): enrols it and relabels the meeting."""
    settings = _settings()
    with connect(resolve_database_url(settings)) as conn, conn.transaction():
        try:
            speaker_id = profiles.name_voice(conn, meeting_id, label, name)
        except profiles.UnknownVoice as error:
            err.print(f"[red]error:[/red] {error}")
            raise typer.Exit(1) from None
    out.print(f"{label} is {name} ({speaker_id})")


def _profile(conn: Connection, name_or_id: str) -> UUID:
    speaker_id = profiles.find_profile(conn, name_or_id)
    if speaker_id is None:
        err.print(f"[red]error:[/red] no speaker {name_or_id!r}")
        raise typer.Exit(1)
    return speaker_id


@speakers_app.command("merge")
def speakers_merge(keep: str, absorb: str) -> None:
    """Merge the second speaker into the first (same person enrolled twice)."""
    settings = _settings()
    with connect(resolve_database_url(settings)) as conn, conn.transaction():
        profiles.merge_profiles(conn, _profile(conn, keep), _profile(conn, absorb))
    out.print(f"merged {absorb} into {keep}")


@speakers_app.command("delete")
def speakers_delete(name_or_id: str) -> None:
    """Forget a voice; its meetings keep their labels but lose the name."""
    settings = _settings()
    with connect(resolve_database_url(settings)) as conn, conn.transaction():
        profiles.delete_profile(conn, _profile(conn, name_or_id))
    out.print(f"deleted {name_or_id}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default MINUTES_API_HOST (127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Default MINUTES_API_PORT (8000).")] = None,
) -> None:
    """Run the HTTP API and the web page (workers run separately: `minutes worker`)."""
    import uvicorn

    from minutes.api.app import create_api

    settings = _settings()
    uvicorn.run(
        create_api(settings),
        host=host or settings.api_host,
        port=port or settings.api_port,
        log_config=None,
        access_log=False,
    )


@keys_app.command("create")
def keys_create(
    name: str,
    user: Annotated[UUID | None, typer.Option(help="Only this user's meetings.")] = None,
) -> None:
    """Make an API key; the key is printed once and only its hash is kept."""
    settings = _settings()
    with connect(resolve_database_url(settings)) as conn:
        key, secret = api_keys.create_key(conn, name, user)
    err.print(f"created key {key.name} ({key.id}); keep it now, it is not shown again:")
    sys.stdout.write(f"{secret}\n")


@keys_app.command("list")
def keys_list() -> None:
    """The keys, by name and prefix (never the key)."""
    settings = _settings()
    with connect(resolve_database_url(settings)) as conn:
        keys = api_keys.list_keys(conn)
    table = Table(
        Column("id", no_wrap=True, min_width=36), "name", "prefix", "user", "last used", "revoked"
    )
    for k in keys:
        table.add_row(
            str(k.id),
            k.name,
            k.prefix,
            str(k.user_id or ""),
            k.last_used_at.isoformat(timespec="seconds") if k.last_used_at else "",
            k.revoked_at.isoformat(timespec="seconds") if k.revoked_at else "",
        )
    _print_table(table, min_width=140)


@keys_app.command("revoke")
def keys_revoke(id_or_prefix: str) -> None:
    """Revoke a key at once (by id or prefix)."""
    settings = _settings()
    with connect(resolve_database_url(settings)) as conn:
        if not api_keys.revoke_key(conn, id_or_prefix):
            err.print(f"[red]error:[/red] no live key {id_or_prefix}")
            raise typer.Exit(1)
    out.print(f"revoked {id_or_prefix}")


@models_app.command("llm")
def models_llm() -> None:
    """Print the bundled Qwen2.5-0.5B-Instruct GGUF's path (joined on first use), to serve with
    `python -m llama_cpp.server --model PATH` (install it with `make llm`)."""
    try:
        path = bundled_llm(_settings().models_dir)
    except ModuleNotFoundError as error:
        err.print(f"[red]error:[/red] {error.name} is not installed; run `make llm`")
        raise typer.Exit(1) from None
    sys.stdout.write(f"{path}\n")


@app.command()
def doctor() -> None:
    """Check the database, storage, models, free disk and GPU; say what to fix."""
    settings = _settings(quiet=True)
    table = Table("check", "", "state", "to fix", box=None)
    checks = run_checks(settings)
    for check in checks:
        mark = "[green]ok[/green]" if check.ok else "[red]FAIL[/red]"
        table.add_row(check.name, mark, check.detail, check.fix)
    out.print(table)
    if not all(check.ok for check in checks):
        raise typer.Exit(1)


@db_app.command("migrate")
def db_migrate() -> None:
    """Apply pending migrations (the embedded database is migrated automatically)."""
    settings = _settings()
    url = settings.database_url or resolve_database_url(settings)
    with connect(url) as conn:
        applied = migrate(conn)
    for migration in applied:
        out.print(f"applied {migration.version:04d} {migration.name}")
    if not applied:
        out.print("database is up to date")
