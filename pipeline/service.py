"""`depeche run`: the chosen stages as supervised child processes.

Each stage runs in its own process (a crash or a memory leak in one cannot take the others down,
and NLP gets its own core). The supervisor restarts a stage that dies, with exponential backoff,
and on SIGTERM/SIGINT asks every stage to stop: each drains its batch, commits its offsets and
exits; whatever is still alive after the grace period is killed (its uncommitted batch is simply
read again on the next start, so nothing is lost).
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.config import Settings, load_settings

log = logging.getLogger("depeche.service")

STAGES = ("poll", "enrich", "index", "api")
STOP_GRACE_SECONDS = 12.0  # the whole stop must fit in 15 s
MAX_BACKOFF_SECONDS = 60.0


def build_stage(name: str, settings: Settings):
    """The stage object for a name; each has `run(stop: threading.Event)`."""
    if name == "poll":
        from pipeline.feeds.poller import Poller

        return Poller(settings)
    if name == "enrich":
        from pipeline.enrich.worker import EnrichWorker

        return EnrichWorker(settings)
    if name == "index":
        from pipeline.index.writer import Indexer

        return Indexer(settings)
    if name == "api":
        from pipeline.api.server import ApiServer

        return ApiServer(settings)
    raise ValueError(f"unknown stage {name!r} (choose from {', '.join(STAGES)})")


def _stage_main(name: str, config_path: str, log_level: str, json_logs: bool) -> None:
    """Entry point of a stage's child process."""
    from pipeline.logs import setup_logging

    setup_logging(log_level, json_lines=json_logs)
    stop = threading.Event()
    # The supervisor sends SIGTERM; Ctrl-C on a terminal reaches the whole process group as SIGINT.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    settings = load_settings(config_path)
    stage = build_stage(name, settings)
    logging.getLogger(f"depeche.{name}").info("stage starting", extra={"pid": os.getpid()})
    stage.run(stop)


@dataclass
class Child:
    name: str
    process: multiprocessing.process.BaseProcess | None = None
    restarts: int = 0
    next_start: float = 0.0
    started_at: float = 0.0
    history: list[float] = field(default_factory=list)


class Supervisor:
    def __init__(self, settings: Settings, stages: list[str], log_level: str = "INFO",
                 json_logs: bool | None = None) -> None:
        self.settings = settings
        self.stages = stages
        self.log_level = log_level
        self.json_logs = (not sys.stderr.isatty()) if json_logs is None else json_logs
        self.context = multiprocessing.get_context("spawn")  # clean interpreters, no inherited sockets
        self.children = {name: Child(name) for name in stages}
        self.stopping = threading.Event()
        self.status_file = settings.stack_data_dir.parent / "run" / f"{settings.namespace}-service.json"

    def _start(self, child: Child) -> None:
        child.process = self.context.Process(
            target=_stage_main, name=f"depeche-{child.name}",
            args=(child.name, str(self.settings.source), self.log_level, self.json_logs),
        )
        child.process.start()
        child.started_at = time.monotonic()
        log.info("stage started", extra={"stage": child.name, "pid": child.process.pid})

    def _check(self, child: Child) -> None:
        process = child.process
        if process is not None and process.is_alive():
            if time.monotonic() - child.started_at > 60:
                child.restarts = 0  # a stage that stayed up a minute has recovered
            return
        now = time.monotonic()
        if process is not None:
            code = process.exitcode
            process.join(0)
            child.process = None
            delay = min(MAX_BACKOFF_SECONDS, 2.0 ** child.restarts)
            child.restarts += 1
            child.next_start = now + delay
            log.error("stage exited; restarting", extra={"stage": child.name, "exit_code": code,
                                                         "restart_in_s": delay})
        if now >= child.next_start:
            self._start(child)

    def _write_status(self) -> None:
        self.status_file.parent.mkdir(parents=True, exist_ok=True)
        state = {
            "pid": os.getpid(),
            "updated": time.time(),
            "config": str(self.settings.source),
            "stages": {
                name: {"pid": c.process.pid if c.process and c.process.is_alive() else None,
                       "restarts": c.restarts}
                for name, c in self.children.items()
            },
        }
        tmp = self.status_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state))
        tmp.replace(self.status_file)

    def _status_line(self) -> str:
        parts = []
        for name, child in self.children.items():
            up = child.process is not None and child.process.is_alive()
            restarts = f"(restarts {child.restarts})" if child.restarts else ""
            parts.append(f"{name}:{'up' if up else 'DOWN'}{restarts}")
        from pipeline.metrics import totals  # imported late: the metrics dir must be set first

        counts = totals()
        flow = (f"new {counts.get('depeche_new_articles_total', 0):.0f}, "
                f"enriched {counts.get('depeche_enriched_total', 0):.0f}, "
                f"indexed {counts.get('depeche_indexed_total', 0):.0f}, "
                f"dead letters {counts.get('depeche_dead_letters_total', 0):.0f}")
        return f"depeche running  {'  '.join(parts)}  | {flow}  (Ctrl-C stops; `depeche status` for details)"

    def run(self) -> int:
        metrics_dir = tempfile.mkdtemp(prefix="depeche-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir  # children inherit it at spawn
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stopping.set())
        log.info("service starting", extra={"stages": ",".join(self.stages), "config": str(self.settings.source)})
        last_line = 0.0
        tty = sys.stderr.isatty()
        while not self.stopping.is_set():
            for child in self.children.values():
                self._check(child)
            self._write_status()
            if time.monotonic() - last_line > (10 if tty else 60):
                last_line = time.monotonic()
                if tty:
                    print(self._status_line(), file=sys.stderr, flush=True)
                else:
                    log.info(self._status_line())
            self.stopping.wait(1.0)
        return self.shutdown()

    def shutdown(self) -> int:
        log.info("stopping stages")
        alive = [c.process for c in self.children.values() if c.process is not None and c.process.is_alive()]
        for process in alive:
            os.kill(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for process in alive:
            process.join(max(0.0, deadline - time.monotonic()))
        killed = [p for p in alive if p.is_alive()]
        for process in killed:
            log.error("stage did not stop in time; killing it", extra={"pid": process.pid, "stage": process.name})
            process.kill()
            process.join(2)
        self.status_file.unlink(missing_ok=True)
        log.info("service stopped", extra={"killed": len(killed)})
        return 1 if killed else 0


def parse_stages(value: str) -> list[str]:
    names = [s.strip() for s in value.split(",") if s.strip()]
    unknown = [s for s in names if s not in STAGES]
    if unknown or not names:
        raise ValueError(f"unknown stage(s) {', '.join(unknown) or '(none)'}; choose from {', '.join(STAGES)}")
    return list(dict.fromkeys(names))


def read_service_status(settings: Settings) -> dict | None:
    """What a local `depeche run` last wrote about its stages, if it is alive."""
    path = settings.stack_data_dir.parent / "run" / f"{settings.namespace}-service.json"
    try:
        state = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    try:
        os.kill(state["pid"], 0)
    except (OSError, KeyError, TypeError):
        return None
    return state
