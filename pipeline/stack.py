"""`depeche stack up | down | status`: a single-machine Kafka + Elasticsearch for dev, CI and demos.

Both engines come from Maven Central through Maven itself (no Docker here):
- Kafka: `org.apache.kafka:kafka_2.13` and its runtime dependencies, resolved by
  deploy/local/kafka/pom.xml, run in KRaft combined mode (broker + controller in one JVM).
- Elasticsearch: the `integ-test-zip` distribution, one node, security off, on loopback.
Downloads are kept under the cache dir (settings `stack.cache_dir`), data and logs under
`stack.data_dir`. Production never uses this: it points depeche at existing clusters.
"""

from __future__ import annotations

import base64
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import REPO_ROOT, Settings

KAFKA_POM = REPO_ROOT / "deploy" / "local" / "kafka" / "pom.xml"
KAFKA_LOG4J = REPO_ROOT / "deploy" / "local" / "kafka" / "log4j2.yaml"
ES_ARTIFACT = "org.elasticsearch.distribution.integ-test-zip:elasticsearch:{version}:zip"
# Elasticsearch refuses to run as root; when we are root it runs as this system user.
ES_SYSTEM_USER = "depeche-es"


class StackError(Exception):
    """Something the operator must fix; the message says what to do, in one line."""


def _say(message: str) -> None:
    print(f"[stack] {message}", file=sys.stderr, flush=True)


# --- prerequisites --------------------------------------------------------------------------


def java_home() -> Path:
    """The JDK used for both engines: $JAVA_HOME, else the `java` on PATH."""
    env_home = os.environ.get("JAVA_HOME")
    if env_home and (Path(env_home) / "bin" / "java").exists():
        return Path(env_home)
    java = shutil.which("java")
    if not java:
        raise StackError("Java (17 or newer) is not installed: install a JDK (e.g. apt-get install openjdk-17-jdk)")
    return Path(os.path.realpath(java)).parent.parent


def _mvn() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise StackError("Maven is not installed: install it (apt-get install maven) to fetch Kafka and Elasticsearch")
    return mvn


def _port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie child of ours counts as gone.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return True


def _let_others_traverse(path: Path) -> None:
    """Add o+x on `path` and its parents (o+rx on path), so another user can reach files below."""
    os.chmod(path, os.stat(path).st_mode | 0o005)
    for parent in path.parents:
        if parent != Path("/"):
            os.chmod(parent, os.stat(parent).st_mode | 0o001)


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


# --- downloads --------------------------------------------------------------------------------


def _maven(settings: Settings, *args: str) -> None:
    repo = settings.cache_dir / "maven"
    command = [_mvn(), "-B", "-q", f"-Dmaven.repo.local={repo}", *args]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stdout + result.stderr).strip().splitlines()[-5:]
        raise StackError(f"Maven could not fetch {args[-1]}: {' | '.join(tail)}")


def kafka_libs(settings: Settings) -> Path:
    """The folder of Kafka jars (downloaded once per version)."""
    version = settings.stack.kafka_version
    libs = settings.cache_dir / f"kafka-{version}" / "libs"
    done = libs / ".complete"
    if not done.exists():
        _say(f"fetching Kafka {version} and its dependencies with Maven (once)...")
        shutil.rmtree(libs, ignore_errors=True)
        _maven(
            settings,
            "-f", str(KAFKA_POM),
            f"-Dkafka.version={version}",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={libs}",
            "dependency:copy-dependencies",
        )
        done.touch()
    return libs


def elasticsearch_home(settings: Settings) -> Path:
    """The unpacked Elasticsearch distribution (downloaded and unpacked once per version)."""
    version = settings.stack.elasticsearch_version
    home = settings.cache_dir / f"elasticsearch-{version}"
    if (home / ".complete").exists():
        return home
    _say(f"fetching Elasticsearch {version} with Maven (once)...")
    artifact = ES_ARTIFACT.format(version=version)
    _maven(settings, f"-Dartifact={artifact}", "-Dtransitive=false", "dependency:get")
    group, name, _, _ = artifact.split(":", 3)
    archive = (
        settings.cache_dir / "maven" / Path(*group.split(".")) / name / version / f"{name}-{version}.zip"
    )
    shutil.rmtree(home, ignore_errors=True)
    staging = home.with_name(home.name + ".partial")
    shutil.rmtree(staging, ignore_errors=True)
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(staging)
        for info in zipped.infolist():  # zipfile drops the exec bits; restore them
            mode = info.external_attr >> 16
            if mode:
                os.chmod(staging / info.filename, mode & 0o7777)
    (inner,) = list(staging.iterdir())  # the zip holds one top folder, elasticsearch-X.Y.Z
    inner.rename(home)
    staging.rmdir()
    (home / ".complete").touch()
    return home


# --- engines ------------------------------------------------------------------------------------


@dataclass
class EngineStatus:
    name: str
    port: int
    pid: int | None
    running: bool
    healthy: bool
    version: str
    data_dir: Path
    detail: str = ""


class KafkaEngine:
    name = "kafka"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = settings.stack.kafka_port
        self.controller_port = settings.stack.kafka_controller_port
        self.dir = settings.stack_data_dir / "kafka"
        self.data_dir = self.dir / "data"
        self.pid_file = self.dir / "kafka.pid"
        self.log_file = self.dir / "kafka.out"

    def pid(self) -> int | None:
        pid = _read_pid(self.pid_file)
        return pid if _pid_alive(pid) else None

    def _write_properties(self) -> Path:
        props = self.dir / "server.properties"
        props.write_text(
            "\n".join(
                [
                    "# Written by `depeche stack up`: KRaft combined mode, one node, loopback only.",
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.bootstrap.servers=127.0.0.1:{self.controller_port}",
                    f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
                    f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=PLAINTEXT",
                    f"log.dirs={self.data_dir}",
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    # One machine: no reason to make a joining consumer wait for others.
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    "",
                ]
            )
        )
        return props

    def _java(self, libs: Path, *args: str, heap: str | None = None) -> list[str]:
        command = [str(java_home() / "bin" / "java")]
        if heap:
            command += [f"-Xms{heap}", f"-Xmx{heap}"]
        return command + [
            "-cp", f"{libs}/*",
            f"-Dlog4j2.configurationFile={KAFKA_LOG4J}",
            f"-Dkafka.logs.dir={self.dir / 'logs'}",
            *args,
        ]

    def start(self) -> None:
        if self.pid():
            return
        if _port_open(self.port) or _port_open(self.controller_port):
            raise StackError(
                f"port {self.port} or {self.controller_port} is taken by another program: "
                "stop it, or set stack.kafka_port / stack.kafka_controller_port in the settings"
            )
        libs = kafka_libs(self.settings)
        self.dir.mkdir(parents=True, exist_ok=True)
        props = self._write_properties()
        if not (self.data_dir / "meta.properties").exists():
            # StorageTool wants a cluster id in Kafka's form: a UUID in unpadded URL-safe base64.
            cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
            result = subprocess.run(
                self._java(libs, "kafka.tools.StorageTool", "format", "--standalone",
                           "-t", cluster_id, "-c", str(props)),
                capture_output=True, text=True,
            )
            if result.returncode != 0:
                raise StackError(f"Kafka storage format failed: {result.stderr.strip().splitlines()[-1:]}")
        with open(self.log_file, "ab") as out:
            process = subprocess.Popen(
                self._java(libs, "kafka.Kafka", str(props), heap=self.settings.stack.kafka_heap),
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,  # survives the shell that ran `stack up`
            )
        self.pid_file.write_text(str(process.pid))

    def healthy(self) -> tuple[bool, str]:
        if not _port_open(self.port):
            return False, "port closed"
        try:
            from kafka import KafkaAdminClient

            admin = KafkaAdminClient(bootstrap_servers=[f"127.0.0.1:{self.port}"], request_timeout_ms=3000)
            try:
                brokers = admin.describe_cluster().get("brokers", [])
            finally:
                admin.close()
            return (bool(brokers), f"{len(brokers)} broker(s)")
        except Exception as exc:  # noqa: BLE001 - any failure just means "not ready yet"
            return False, type(exc).__name__

    def status(self) -> EngineStatus:
        ok, detail = self.healthy()
        pid = self.pid()
        return EngineStatus(self.name, self.port, pid, pid is not None, ok,
                            self.settings.stack.kafka_version, self.data_dir, detail)


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.port = settings.stack.elasticsearch_port
        self.transport_port = settings.stack.elasticsearch_transport_port
        self.dir = settings.stack_data_dir / "elasticsearch"
        self.data_dir = self.dir / "data"
        self.conf_dir = self.dir / "config"
        self.pid_file = self.dir / "es.pid"
        self.log_file = self.dir / "es.out"

    def pid(self) -> int | None:
        pid = _read_pid(self.pid_file)
        return pid if _pid_alive(pid) else None

    def _run_as(self) -> tuple[int, int] | None:
        """(uid, gid) to run Elasticsearch as, when we are root (it refuses root)."""
        if os.geteuid() != 0:
            return None
        try:
            entry = pwd.getpwnam(ES_SYSTEM_USER)
        except KeyError:
            _say(f"creating system user {ES_SYSTEM_USER!r} to run Elasticsearch (it refuses root)")
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", ES_SYSTEM_USER],
                check=True, capture_output=True,
            )
            entry = pwd.getpwnam(ES_SYSTEM_USER)
        return entry.pw_uid, entry.pw_gid

    def _write_config(self, home: Path) -> None:
        self.conf_dir.mkdir(parents=True, exist_ok=True)
        for name in ("jvm.options", "log4j2.properties"):
            shutil.copy(home / "config" / name, self.conf_dir / name)
        (self.conf_dir / "jvm.options.d").mkdir(exist_ok=True)
        heap = self.settings.stack.elasticsearch_heap
        (self.conf_dir / "jvm.options.d" / "heap.options").write_text(f"-Xms{heap}\n-Xmx{heap}\n")
        (self.conf_dir / "elasticsearch.yml").write_text(
            "\n".join(
                [
                    "# Written by `depeche stack up`: one node on loopback, for dev and CI only.",
                    "cluster.name: depeche-local",
                    "node.name: depeche-local-1",
                    "discovery.type: single-node",
                    "network.host: 127.0.0.1",
                    f"http.port: {self.port}",
                    f"transport.port: {self.transport_port}",
                    f"path.data: {self.data_dir}",
                    f"path.logs: {self.dir / 'logs'}",
                    "xpack.security.enabled: false",
                    # A dev disk is often fuller than a cluster's: don't go read-only at 95%.
                    "cluster.routing.allocation.disk.threshold_enabled: false",
                    "action.destructive_requires_name: false",
                    "",
                ]
            )
        )

    def start(self) -> None:
        if self.pid():
            return
        if _port_open(self.port) or _port_open(self.transport_port):
            raise StackError(
                f"port {self.port} or {self.transport_port} is taken by another program: stop it, "
                "or set stack.elasticsearch_port / stack.elasticsearch_transport_port in the settings"
            )
        home = elasticsearch_home(self.settings)
        run_as = self._run_as()
        for sub in ("data", "logs"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        self._write_config(home)
        if run_as:
            # The unprivileged user must reach its folders (and traverse the parents).
            for path in [self.dir, *self.dir.rglob("*")]:
                os.chown(path, *run_as)
            _let_others_traverse(self.dir.parent)
            _let_others_traverse(home)
        env = {
            **os.environ,
            "ES_JAVA_HOME": str(java_home()),
            "ES_PATH_CONF": str(self.conf_dir),
            "ES_JAVA_OPTS": "",
        }
        if run_as:
            env["HOME"] = str(self.dir)
        self.pid_file.unlink(missing_ok=True)
        with open(self.log_file, "ab") as out:
            # `-d -p`: Elasticsearch daemonises itself and writes the server's own pid.
            result = subprocess.run(
                [str(home / "bin" / "elasticsearch"), "-d", "-p", str(self.pid_file)],
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
                user=run_as[0] if run_as else None, group=run_as[1] if run_as else None,
                extra_groups=[] if run_as else None, cwd=self.dir,
            )
        if result.returncode != 0:
            raise StackError(f"Elasticsearch did not start (exit {result.returncode}); see {self.log_file}")

    def healthy(self) -> tuple[bool, str]:
        if not _port_open(self.port):
            return False, "port closed"
        import json
        import urllib.request

        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}/_cluster/health", timeout=3
            ) as response:
                health = json.load(response)
        except Exception as exc:  # noqa: BLE001
            return False, type(exc).__name__
        status = health.get("status", "?")
        return status in ("green", "yellow"), f"cluster {status}"

    def status(self) -> EngineStatus:
        ok, detail = self.healthy()
        pid = self.pid()
        return EngineStatus(self.name, self.port, pid, pid is not None, ok,
                            self.settings.stack.elasticsearch_version, self.data_dir, detail)


def engines(settings: Settings) -> list[KafkaEngine | ElasticsearchEngine]:
    return [KafkaEngine(settings), ElasticsearchEngine(settings)]


# --- commands ---------------------------------------------------------------------------------


def up(settings: Settings, timeout: float = 180.0) -> None:
    """Start both engines if they are not running, and wait until both answer."""
    java_home()
    _mvn()
    for engine in engines(settings):
        if engine.pid():
            _say(f"{engine.name} already running (pid {engine.pid()})")
        else:
            _say(f"starting {engine.name} on 127.0.0.1:{engine.port}")
            engine.start()
    deadline = time.monotonic() + timeout
    for engine in engines(settings):
        while True:
            ok, detail = engine.healthy()
            if ok:
                _say(f"{engine.name} ready ({detail})")
                break
            if not engine.pid() and engine.name == "kafka":
                raise StackError(f"kafka exited during start-up; see {engine.log_file}")
            if time.monotonic() > deadline:
                raise StackError(f"{engine.name} not ready after {timeout:.0f}s ({detail}); see {engine.log_file}")
            time.sleep(1)


def _stop_pid(pid: int, name: str, timeout: float) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.3)
    if _pid_alive(pid):
        _say(f"{name} did not stop within {timeout:.0f}s; killing it")
        os.kill(pid, signal.SIGKILL)
        while _pid_alive(pid):
            time.sleep(0.1)
    try:
        os.waitpid(pid, os.WNOHANG)  # reap it when it was started by this very process
    except ChildProcessError:
        pass


def down(settings: Settings, timeout: float = 60.0) -> None:
    """Stop both engines cleanly (SIGTERM, then SIGKILL after `timeout`)."""
    # Elasticsearch first: it holds nothing Kafka needs, and stopping it is the slower one.
    for engine in reversed(engines(settings)):
        pid = engine.pid()
        if pid:
            _say(f"stopping {engine.name} (pid {pid})")
            _stop_pid(pid, engine.name, timeout)
        else:
            _say(f"{engine.name} not running")
        engine.pid_file.unlink(missing_ok=True)


def status(settings: Settings) -> list[EngineStatus]:
    return [engine.status() for engine in engines(settings)]


def format_status(rows: list[EngineStatus]) -> str:
    lines = []
    for row in rows:
        state = "healthy" if row.healthy else ("starting/unhealthy" if row.running else "down")
        lines.append(
            f"{row.name:<14} {state:<18} port {row.port:<6} pid {row.pid or '-':<8} "
            f"version {row.version:<8} data {row.data_dir}  ({row.detail})"
        )
    return "\n".join(lines)
