"""The nightly run and the run journal, as text for a terminal or a log."""

from __future__ import annotations

from rich.console import Console
from rich.text import Text

from mops.i18n import text
from mops.jobs.journal import JobRun, RunHistory, StepRecord
from mops.schemas.model import Lang


def _counts(record: StepRecord, lang: Lang) -> str:
    from mops.jobs.nightly import count_label

    parts = [f"{count_label(record.step, k, lang)} {v}" for k, v in record.counts.items()]
    return "，".join(parts) if lang is Lang.ZH_TW else ", ".join(parts)


def step_lines(record: StepRecord, lang: Lang) -> list[str]:
    """One line for a step (its status, time and counts), and its message if any."""
    line = text(
        "jobs.step_line",
        lang,
        step=text(f"jobs.step.{record.step}", lang),
        status=text(f"jobs.status.{record.status}", lang),
        seconds=record.seconds,
        counts=_counts(record, lang),
    )
    return [line.rstrip()] + ([f"    {record.message}"] if record.message else [])


def run_lines(run: JobRun, lang: Lang) -> list[str]:
    """A run: its heading, each step, and the workbooks left out."""
    finished = (
        text("jobs.run_finished", lang, finished=run.finished)
        if run.finished
        else text("jobs.run_unfinished", lang)
    )
    code = "-" if run.exit_code is None else run.exit_code
    lines = [
        text("jobs.run_line", lang, run_id=run.run_id, job=run.job, started=run.started,
             finished=finished, exit_code=code)
    ]  # fmt: skip
    for record in run.steps:
        lines += step_lines(record, lang)
    lines += [text("jobs.skipped_line", lang, file=f, why=why) for f, why in run.skipped]
    return lines


def render_history(history: RunHistory, console: Console, lang: Lang) -> None:
    """``mops runs``: the latest runs, newest first."""
    if not history.runs:
        console.print(text("jobs.no_runs", lang, path=history.state_path))
        return
    for run in history.runs:
        for line in run_lines(run, lang):
            console.print(Text(line), soft_wrap=True)


def render_demo(run, console: Console, lang: Lang) -> None:
    """``mops demo``: what was written and found, then each step of the nightly run."""
    from mops.demodata.render import render_demo as render_found

    render_found(run, console, lang)
    for record in run.steps:
        for line in step_lines(record, lang):
            console.print(Text(line), soft_wrap=True)


def render_nightly(run, console: Console, lang: Lang) -> None:
    """``mops nightly``: each step, the workbooks left out, where the summary is, the code."""
    for record in run.steps:
        for line in step_lines(record, lang):
            console.print(Text(line), soft_wrap=True)
    for file, why in run.skipped:
        console.print(Text(text("jobs.skipped_line", lang, file=file, why=why)), soft_wrap=True)
    if run.reports is not None:
        summary = next((f.path for f in run.reports.files if f.name == "summary"), None)
        if summary is not None:
            console.print(Text(text("jobs.summary_at", lang, path=summary)), soft_wrap=True)
    console.print(
        Text(
            text("jobs.done", lang, run_id=run.run_id, files=len(run.files), seconds=run.seconds,
                 exit_code=run.exit_code, folder=run.state_path.parent)
        ),
        soft_wrap=True,
    )  # fmt: skip


def render_schedule_status(status, console: Console, lang: Lang) -> None:
    """``mops schedule status``: each job's next time and last result, the log's place."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(status.tz)
    running = text("jobs.sched.running_yes" if status.running else "jobs.sched.running_no", lang)
    console.print(Text(text("jobs.sched.status_tz", lang, tz=status.tz, running=running)))
    for name, due, state in status.jobs:
        if state.last_finished:
            when = state.last_finished.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            last = f"{when} {state.last_status} {state.message}".strip()
        else:
            last = text("jobs.sched.never", lang)
        console.print(
            Text(
                text("jobs.sched.status_job", lang, job=text(f"jobs.job.{name}", lang),
                     next=due.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z"), last=last)
            ),
            soft_wrap=True,
        )  # fmt: skip
    console.print(Text(text("jobs.sched.status_log", lang, path=status.log_path)), soft_wrap=True)
