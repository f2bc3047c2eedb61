"""nianbao — one command line over the assistant: ingest, ask, serve, eval, reports, remove; staff, history."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from assistant.config import Settings, get_settings

SAMPLES_DIR = Path(__file__).resolve().parents[1] / "samples"
console = Console()


def _assistant(settings: Settings):  # type: ignore[no-untyped-def]
    from assistant.embedding import EmbeddingModelError
    from assistant.service import Assistant

    with console.status(f"Loading the embedding model ({settings.embedding_model}) and the stores…"):
        try:
            return Assistant(settings)
        except EmbeddingModelError as exc:
            raise click.ClickException(str(exc)) from exc


def _ingest(assistant, paths: list[Path], overrides) -> int:  # type: ignore[no-untyped-def]
    from assistant.index import Outcome, report_files

    files = report_files(paths)
    failed = 0
    with Progress(console=console, transient=True, disable=len(files) < 2) as progress:
        task = progress.add_task("Ingesting", total=len(files))

        def on_file(result) -> None:  # type: ignore[no-untyped-def]
            nonlocal failed
            progress.advance(task)
            if result.outcome is Outcome.FAILED:
                failed += 1
                # ingest errors already start with the file name; don't print it twice
                where = "" if result.path in result.error else f"{result.path}: "
                console.print(f"[red]✗[/red] {escape(where + result.error)}", highlight=False)
            else:
                console.print(
                    f"[green]✓[/green] {result.outcome.value:9} {result.report_id}  {escape(result.title)}"
                    f"  [dim]{escape(result.path)}[/dim]"
                )

        results = assistant.ingest(paths, overrides=overrides, on_file=on_file)
    console.print(f"{len(results) - failed} of {len(results)} files indexed; {failed} failed.")
    return failed


@click.group()
@click.version_option(package_name="nianbao")
def cli() -> None:
    """Answer questions from 政府信息公开工作年度报告 with exact, cited figures.

    \b
    Examples:
      nianbao ingest samples/ ../shared/corpus/real
      nianbao ask "2017年科技厅收到多少件依申请公开?"
      nianbao serve
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--agency", help="Agency name, when the title does not say it (or says it wrongly).")
@click.option("--year", type=int, help="Statistics year, when the title does not say it.")
@click.option("--title", help="Report title to use instead of the one found.")
@click.option("--alias", "aliases", multiple=True, help="Another name the public uses for the agency (repeatable).")
def ingest(paths: tuple[Path, ...], agency: str | None, year: int | None, title: str | None, aliases: tuple[str, ...]) -> None:
    """Ingest report files or folders (.txt .html .htm .docx .pdf)."""
    from assistant.index import Overrides

    failed = _ingest(_assistant(get_settings()), list(paths), Overrides(agency, year, title, aliases))
    if failed:
        raise SystemExit(1)


@cli.command()
@click.argument("urls", nargs=-1)
def fetch(urls: tuple[str, ...]) -> None:
    """Follow portal report columns: download new and changed reports with their attachments, ingest them.

    \b
    URLS are column list pages (…/zfxxgknb/index.html) or report pages; default: NIANBAO_FETCH_COLUMNS.
    Exits 1 only when every report failed (or none was found).
    """
    settings = get_settings()
    columns = list(urls) or settings.fetch_columns
    if not columns:
        raise click.UsageError("Give a column URL (nianbao fetch https://www.example.gov.cn/zwgk/zfxxgknb/index.html) "
                               "or set NIANBAO_FETCH_COLUMNS.")
    for url in columns:
        if not url.startswith(("http://", "https://")):
            raise click.BadParameter(f"{url!r} is not an http(s) URL.", param_hint="URLS")
    results = _fetch(_assistant(settings), columns)
    if all(r.error for r in results):
        raise SystemExit(1)


def _fetch(assistant, columns: list[str]) -> list:  # type: ignore[no-untyped-def]
    from assistant.index import Outcome

    # what a fetch did to a report, in the words of its summary
    labels = {Outcome.ADDED: "new", Outcome.REPLACED: "changed", Outcome.UNCHANGED: "unchanged", Outcome.FAILED: "failed"}
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("Reading the column lists", total=None)

        def on_listed(listing) -> None:  # type: ignore[no-untyped-def]
            progress.update(task, description="Fetching reports", total=len(listing.reports), completed=0)
            console.print(f"{len(listing.reports)} report pages found on {listing.list_pages} list pages.")
            for failure in listing.failures:
                console.print(f"[red]✗[/red] {escape(failure.url)}: {escape(failure.error)}", highlight=False)

        def on_page(result) -> None:  # type: ignore[no-untyped-def]
            progress.advance(task)
            label = labels[result.outcome]
            if result.error:
                console.print(f"[red]✗[/red] {escape(result.url)}: {escape(result.error)}", highlight=False)
            else:
                console.print(f"[green]✓[/green] {label:9} {result.report_id}  {escape(result.title)}  [dim]{escape(result.url)}[/dim]",
                              highlight=False)
            for skipped in result.skipped:
                console.print(f"  [yellow]attachment left out[/yellow] {escape(skipped)}", highlight=False)

        results = assistant.fetch(columns, on_listed=on_listed, on_page=on_page)
    summary = Table("outcome", "reports", title="Fetched")
    for outcome, label in labels.items():
        summary.add_row(label, str(sum(r.outcome is outcome for r in results)))
    console.print(summary)
    failed = [r for r in results if r.error]
    if failed:
        why = Table("failed", "why")
        for result in failed:
            why.add_row(escape(result.url), escape(result.error))
        console.print(why)
    downloaded = sum(r.downloaded for r in results)
    console.print(f"Downloaded {downloaded} report pages and attachments (none that had not changed since the last fetch).")
    return results


@cli.command()
@click.argument("report_id")
def remove(report_id: str) -> None:
    """Remove one report (by id, see `nianbao reports`) from both stores."""
    if not _assistant(get_settings()).remove(report_id):
        raise click.ClickException(f"No report has the id {report_id!r}; `nianbao reports` lists them.")
    console.print(f"Removed {report_id}.")


@cli.command()
def reports() -> None:
    """List the ingested reports."""
    assistant = _assistant(get_settings())
    table = Table("id", "agency", "year", "title", "paragraphs", "figures")
    counts = assistant.part_counts()
    for entry in assistant.shelf.entries:
        paragraphs, figures, _ = counts.get(entry.id, (0, 0, 0))
        table.add_row(entry.id, entry.meta.agency, str(entry.meta.year), entry.meta.title, str(paragraphs), str(figures))
    console.print(table)


@cli.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="Print the whole answer as JSON.")
@click.option("--session", help="A conversation id: a follow-up (那2018年呢?) is read against its previous question.")
@click.option("--no-history", is_flag=True, help="Do not record the question in the history.")
def ask(question: str, as_json: bool, session: str | None, no_history: bool) -> None:
    """Ask one question (recorded in the history with channel cli)."""
    from assistant.errors import QuestionInvalid

    settings = get_settings()
    history = None if no_history else _history_store(settings)
    previous = history.previous_question(session) if history and session else None
    try:
        answer = _assistant(settings).ask(question, previous=previous)
    except QuestionInvalid as exc:
        raise click.ClickException(str(exc)) from exc
    if history:
        history.record(answer, channel="cli", session=session)
    if as_json:
        click.echo(json.dumps(answer.model_dump(mode="json"), ensure_ascii=False, indent=2))
        return
    if answer.understanding.question:
        console.print(f"[dim]理解为：{escape(answer.understanding.question)}[/dim]", highlight=False)
    console.print(("[green]" if answer.answered else "[yellow]") + escape(answer.text), markup=True, highlight=False)
    for citation in answer.citations or answer.nearest:
        where = f"{citation.agency} {citation.year} · {' > '.join(citation.section_path)} · {citation.paragraph_id}"
        console.print(f"  [dim]{escape(where)}[/dim]")
    if answer.llm:
        console.print(f"  [dim]LLM {escape(answer.llm.model)} ({answer.llm.task}): {answer.llm.outcome}"
                      f"{' — ' + escape(answer.llm.reason) if answer.llm.reason else ''}[/dim]", highlight=False)


@cli.command()
@click.option("--host", help="Default: the host setting (127.0.0.1).")
@click.option("--port", type=int, help="Default: the port setting (8000).")
@click.option("--workers", type=click.IntRange(min=1), help="Processes answering; default: the workers setting (1).")
@click.option("--no-ingest", is_flag=True, help="Serve the index as it is, without ingesting samples/ and NIANBAO_INGEST_PATHS.")
def serve(host: str | None, port: int | None, workers: int | None, no_ingest: bool) -> None:
    """Ingest samples/ (plus NIANBAO_CORPUS_DIR and NIANBAO_INGEST_PATHS), then serve the API."""
    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    workers = workers or settings.workers
    if workers > 1:
        _serve_workers(settings, host, port, workers, no_ingest)
        return
    import uvicorn

    from assistant.api.app import create_app

    assistant = _assistant(settings)
    if not no_ingest:
        _ingest_served(assistant, settings)
    console.print(f"Serving {len(assistant.shelf)} reports at [bold]http://{host}:{port}[/bold]  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(settings, assistant=assistant), host=host, port=port, log_level="warning")


def _ingest_served(assistant, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    from assistant.index import Overrides

    corpus = [settings.corpus_dir] if settings.corpus_dir else []
    _ingest(assistant, [SAMPLES_DIR, *corpus, *settings.ingest_paths], Overrides())


def _serve_workers(settings: Settings, host: str, port: int, workers: int, no_ingest: bool) -> None:
    """Several processes on one port, each building its own Assistant over the shared stores; the
    ingest happens once, here, before they start."""
    import uvicorn

    if not settings.chroma_host:
        raise click.UsageError(
            f"--workers {workers} needs a Chroma server: the embedded store belongs to one process. Start one "
            "(chroma run --path data/chroma-server --port 8001) and set NIANBAO_CHROMA_HOST=127.0.0.1 "
            "NIANBAO_CHROMA_PORT=8001 (README: “Past one machine”)."
        )
    if settings.rate_limit_storage.startswith("memory://"):
        console.print(f"[yellow]Each of the {workers} workers counts rate limits on its own: a client may send "
                      f"{workers} × NIANBAO_RATE_LIMIT. Set NIANBAO_RATE_LIMIT_STORAGE=redis://127.0.0.1:6379 "
                      "to share the counts.[/yellow]")
    if not no_ingest:
        _ingest_served(_assistant(settings), settings)
    _prepare_stores(settings)
    settings.secret()  # every worker signs staff sessions with the same key
    console.print(f"Serving with {workers} workers at [bold]http://{host}:{port}[/bold]  (API docs: http://{host}:{port}/docs)")
    # An import string: each worker process builds its app (and its Assistant, in the lifespan) itself.
    # A worker loading the model on a busy machine may answer the supervisor's health check late.
    uvicorn.run("assistant.api.app:create_app", factory=True, workers=workers, host=host, port=port,
                log_level="warning", timeout_worker_healthcheck=30)


def _prepare_stores(settings: Settings) -> None:
    """The catalog's tables, the Chroma collection and the history's schema, made once here rather
    than by every worker at once (two processes creating one table: one of them fails)."""
    from assistant import catalog_engine
    from assistant.store.vectors import VectorStore

    catalog_engine(settings).dispose()
    VectorStore.open(embedder=None, name=settings.collection, host=settings.chroma_host,  # type: ignore[arg-type]
                     port=settings.chroma_port)  # the collection only: nothing is embedded here
    _history_store(settings).engine.dispose()


@cli.command(name="eval")
@click.option("--dataset", "datasets", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Dataset file(s): .yaml, .jsonl or .csv (schema: eval/README.md); default: every file in eval/datasets/.")
@click.option("--baselines", is_flag=True, help="Also run the plain-LangChain and Langchain-Chatchat baselines on the same index and questions.")
@click.option("--report", "report_dir", type=click.Path(file_okay=False, path_type=Path), help="Write a self-contained HTML report (index.html) into this folder.")
@click.option("--json-out", type=click.Path(dir_okay=False, path_type=Path), help="Write the results as JSON here.")
@click.option("--threshold", "thresholds", multiple=True, metavar="METRIC=VALUE",
              help="A threshold for every dataset of the run, over the file's own (repeatable), e.g. figure_accuracy=0.95.")
@click.option("--curve", "curve", metavar="VALUES", default="",
              help="Also measure ours at these max_uncovered values (e.g. 0,1,2,3): the precision/coverage curve, in the report.")
@click.option("--llm", "with_llm", is_flag=True,
              help="Also run ours with the configured LLM (NIANBAO_LLM_BASE_URL, NIANBAO_LLM_MODEL): a row ours+llm.")
def eval_command(datasets: tuple[Path, ...], baselines: bool, report_dir: Path | None, json_out: Path | None,
                 thresholds: tuple[str, ...], curve: str, with_llm: bool) -> None:
    """Run the evaluation datasets against the current index; exit 1 below a dataset's thresholds."""
    from eval.dataset import DatasetError, load_dataset, parse_thresholds
    from eval.runner import default_paths, run

    try:
        overrides = parse_thresholds(list(thresholds)) if thresholds else None
        try:
            sweep = [float(v) for v in curve.split(",") if v.strip()]
        except ValueError:
            raise click.BadParameter(f"{curve!r}: give numbers separated by commas, e.g. 0,1,2,3.", param_hint="--curve") from None
        paths = list(datasets) or default_paths()
        for path in paths:  # a bad file stops the run before the model loads
            load_dataset(path, thresholds=overrides)
    except DatasetError as exc:
        raise click.ClickException(str(exc)) from exc
    settings = get_settings()
    if with_llm and not settings.llm_configured:
        raise click.UsageError("--llm needs an LLM: set NIANBAO_LLM_BASE_URL and NIANBAO_LLM_MODEL (see the README).")
    # CI logs are no terminal: rich would wrap the comparison table at 80 columns
    out = console if console.is_terminal else Console(width=max(console.width, 132))
    ok = run(_assistant(settings), paths, console=out, json_out=json_out, corpus_dir=settings.corpus_dir,
             baselines=baselines, report_dir=report_dir, thresholds=overrides, curve=sweep, llm=with_llm)
    if not ok:
        raise SystemExit(1)


def _history_store(settings: Settings):  # type: ignore[no-untyped-def]
    from assistant.history import HistoryStore

    return HistoryStore.open(settings.history_database_url, settings.secret())


def _staff_accounts():  # type: ignore[no-untyped-def]
    from assistant.staff.accounts import StaffAccounts

    return StaffAccounts(_history_store(get_settings()).engine)


@contextmanager
def _account_errors() -> Iterator[None]:
    """An AccountError (unknown user, taken name, empty password …) as a clean CLI error."""
    from assistant.staff.accounts import AccountError

    try:
        yield
    except AccountError as exc:
        raise click.ClickException(str(exc)) from exc


def _new_password(password_stdin: bool) -> str:
    if password_stdin:
        return click.get_text_stream("stdin").readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@cli.group()
def staff() -> None:
    """Staff accounts and API tokens of the staff console (/staff, /api/history)."""


@staff.command("add")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin instead of a prompt.")
def staff_add(username: str, password_stdin: bool) -> None:
    """Add a staff user who may sign in at /staff/login."""
    with _account_errors():
        _staff_accounts().add_user(username, _new_password(password_stdin))
    console.print(f"Added {escape(username)}; they sign in at /staff/login.")


@staff.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin instead of a prompt.")
def staff_passwd(username: str, password_stdin: bool) -> None:
    """Set a staff user's password (their signed-in sessions end)."""
    with _account_errors():
        _staff_accounts().set_password(username, _new_password(password_stdin))
    console.print(f"Password of {escape(username)} changed.")


@staff.command("disable")
@click.argument("username")
def staff_disable(username: str) -> None:
    """Refuse a staff user's sign-in, sessions and tokens from now on."""
    with _account_errors():
        _staff_accounts().set_disabled(username, True)
    console.print(f"Disabled {escape(username)}.")


@staff.command("enable")
@click.argument("username")
def staff_enable(username: str) -> None:
    """Let a disabled staff user in again."""
    with _account_errors():
        _staff_accounts().set_disabled(username, False)
    console.print(f"Enabled {escape(username)}.")


@staff.command("token")
@click.argument("username")
@click.option("--name", required=True, help="What the token is for (e.g. weekly-export).")
def staff_token(username: str, name: str) -> None:
    """Make an API token for scripts (Authorization: Bearer …); it is printed once, never again."""
    with _account_errors():
        token_id, token = _staff_accounts().create_token(username, name)
    click.echo(token)
    click.echo(f"Token {token_id} for {username}. Keep it secret: it is not stored and cannot be shown again. "
               f"Revoke it with `nianbao staff revoke {token_id}`.", err=True)


@staff.command("revoke")
@click.argument("token_id")
def staff_revoke(token_id: str) -> None:
    """Revoke an API token by its id (`nianbao staff list` shows them)."""
    with _account_errors():
        _staff_accounts().revoke_token(token_id)
    console.print(f"Revoked token {escape(token_id)}.")


@staff.command("list")
def staff_list() -> None:
    """The staff users and their API tokens."""
    accounts = _staff_accounts()
    users = Table("user", "status")
    for user in accounts.users():
        users.add_row(user.username, "disabled" if user.disabled else "active")
    console.print(users)
    tokens = Table("token id", "user", "name", "created (UTC)", "last used (UTC)", "status")
    for t in accounts.tokens():
        tokens.add_row(t.id, t.username, t.name, f"{t.created_at:%Y-%m-%d %H:%M}",
                       f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never", "revoked" if t.revoked else "active")
    console.print(tokens)


def _history_filters(function):  # type: ignore[no-untyped-def]
    """The history's filters as options, shared by `history list` and `history export`."""
    options = [
        click.option("--q", help="Text within the question."),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="First day (UTC), YYYY-MM-DD."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Last day (UTC), YYYY-MM-DD, included."),
        click.option("--answered/--refused", default=None, help="Only answered, or only refused questions."),
        click.option("--feedback", type=click.Choice(["up", "down", "none", "any"]), default="any", help="Rated up, down, or not rated."),
        click.option("--report", "report_id", help="Answers citing this report id."),
        click.option("--agency", help="Part of the agency's name."),
        click.option("--year", type=int, help="Questions about this report year."),
        click.option("--channel", type=click.Choice(["api", "widget", "cli"])),
        click.option("--llm", type=click.Choice(["any", "used", "accepted", "rejected", "failed", "unused"]), default="any",
                     help="What the optional LLM did: rejected finds answers its grounding check refused."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def _history_query(**values):  # type: ignore[no-untyped-def]
    from pydantic import ValidationError

    from assistant.staff.query import HistoryQuery

    since, until = values.pop("since"), values.pop("until")
    try:
        return HistoryQuery(date_from=since.date() if since else None, date_to=until.date() if until else None, **values)
    except ValidationError as exc:
        raise click.ClickException("; ".join(f"--{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from exc


@cli.group()
def history() -> None:
    """The question history: list, export, prune."""


@history.command("list")
@_history_filters
@click.option("--limit", type=click.IntRange(1, 200), default=50, show_default=True, help="How many (newest first).")
@click.option("--format", "output", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
def history_list(limit: int, output: str, **filters) -> None:  # type: ignore[no-untyped-def]
    """The newest questions matching the filters."""
    from assistant.staff.export import csv_lines
    from assistant.staff.query import search

    page = search(_history_store(get_settings()).engine, _history_query(per_page=limit, **filters))
    if output == "json":
        click.echo(json.dumps({"data": [e.model_dump(mode="json") for e in page.data], "count": page.count},
                              ensure_ascii=False, indent=2))
    elif output == "csv":
        click.echo("".join(csv_lines(page.data, bom=False)), nl=False)
    else:
        table = Table("asked (UTC)", "question", "answered", "agency", "years", "feedback", "channel", "id")
        for e in page.data:
            table.add_row(f"{e.asked_at:%Y-%m-%d %H:%M}", escape(e.question), "yes" if e.answered else "[yellow]no[/yellow]",
                          escape(e.agency or ""), ",".join(map(str, e.years)), e.feedback or "", e.channel, e.id)
        console.print(table)
        console.print(f"{len(page.data)} of {page.count} matching questions shown.")


@history.command("export")
@_history_filters
@click.option("--output", "-o", "path", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="The file to write: .csv (UTF-8 with BOM) or .xlsx.")
def history_export(path: Path, **filters) -> None:  # type: ignore[no-untyped-def]
    """Every question matching the filters (the newest 50,000 at most) to a CSV or XLSX file."""
    from assistant.staff.export import MAX_EXPORT_ROWS, csv_lines, xlsx_bytes
    from assistant.staff.query import count, entries

    if path.suffix.lower() not in (".csv", ".xlsx"):
        raise click.ClickException(f"Name the file .csv or .xlsx, not {path.name}.")
    engine = _history_store(get_settings()).engine
    query = _history_query(**filters)
    rows = entries(engine, query, MAX_EXPORT_ROWS)
    if path.suffix.lower() == ".xlsx":
        path.write_bytes(xlsx_bytes(rows))
    else:
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(csv_lines(rows))
    console.print(f"Wrote {min(count(engine, query), MAX_EXPORT_ROWS)} questions to {escape(str(path))}.")


@history.command("prune")
@click.option("--older-than", "days", type=click.IntRange(min=0), required=True, metavar="DAYS",
              help="Delete the questions asked more than DAYS days ago.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def history_prune(days: int, yes: bool) -> None:
    """Retention: delete questions (with their answers and feedback) older than DAYS days."""
    if not yes:
        click.confirm(f"Delete every question asked more than {days} days ago?", abort=True)
    deleted = _history_store(get_settings()).delete_older_than(days)
    console.print(f"Deleted {deleted} questions asked more than {days} days ago.")


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    cli()
