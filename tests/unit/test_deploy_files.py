"""deploy/compose and deploy/systemd: what can be checked without a Docker engine or a booted systemd.

The compose file's structure is checked here directly (no compose JSON schema ships with the
project); `docker compose config` and `systemd-analyze verify` run too when the machine has them.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from pipeline.config import ENV_OVERRIDES, load_settings

REPO = Path(__file__).resolve().parents[2]
COMPOSE_DIR = REPO / "deploy" / "compose"
COMPOSE_FILE = COMPOSE_DIR / "docker-compose.yml"
DOCKERFILE = COMPOSE_DIR / "Dockerfile"
SYSTEMD_DIR = REPO / "deploy" / "systemd"

STAGES = ("poll", "enrich", "index", "api")
# Stages whose containers must be able to run several at once (`docker compose up --scale`).
SCALABLE = ("poll", "enrich", "index")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def _entrypoint() -> list[str]:
    lines = [line for line in DOCKERFILE.read_text().splitlines() if line.startswith("ENTRYPOINT")]
    assert len(lines) == 1, "the Dockerfile needs exactly one ENTRYPOINT"
    return json.loads(lines[0].removeprefix("ENTRYPOINT"))  # exec form, so SIGTERM reaches depeche


def test_stage_names_match_the_service():
    service = pytest.importorskip("pipeline.service")
    assert tuple(service.STAGES) == STAGES


def test_compose_top_level(compose):
    assert set(compose["services"]) == {"kafka", "elasticsearch", *STAGES}
    unknown = set(compose) - {"name", "services", "volumes", "networks"}
    assert all(key.startswith("x-") for key in unknown), f"unexpected top-level keys {unknown}"


def test_kafka_runs_in_kraft_mode(compose):
    kafka = compose["services"]["kafka"]
    assert re.fullmatch(r"apache/kafka:4\.\d+\.\d+", kafka["image"])
    env = kafka["environment"]
    assert set(env["KAFKA_PROCESS_ROLES"].split(",")) == {"broker", "controller"}
    assert "CONTROLLER" in env["KAFKA_CONTROLLER_LISTENER_NAMES"]
    assert env["KAFKA_CONTROLLER_QUORUM_VOTERS"] == f"{env['KAFKA_NODE_ID']}@kafka:9093"
    assert "PLAINTEXT://kafka:9092" in env["KAFKA_ADVERTISED_LISTENERS"]
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == 1  # one broker
    assert kafka["healthcheck"]["test"]


def test_elasticsearch_single_node(compose):
    es = compose["services"]["elasticsearch"]
    assert re.fullmatch(r"(.+/)?elasticsearch:8\.19\.\d+", es["image"])
    env = es["environment"]
    assert env["discovery.type"] == "single-node"
    assert str(env["xpack.security.enabled"]).lower() == "false"
    assert es["healthcheck"]["test"]


@pytest.mark.parametrize("stage", STAGES)
def test_stage_service(compose, stage):
    services = compose["services"]
    svc = services[stage]
    assert _entrypoint() + svc["command"] == ["depeche", "run", "--stages", stage]
    build = svc["build"]
    assert (COMPOSE_DIR / build["context"] / build["dockerfile"]).resolve() == DOCKERFILE
    assert "container_name" not in svc, "a fixed container name prevents --scale"
    for engine in ("kafka", "elasticsearch"):
        assert svc["depends_on"][engine]["condition"] == "service_healthy"
        assert services[engine]["healthcheck"]["test"]
    env = svc["environment"]
    assert env["DEPECHE_CONFIG"] == "/etc/depeche/depeche.yaml"
    for var in ENV_OVERRIDES:  # every connection override reaches the container
        assert env.get(var) == f"${{{var}:-}}", f"{var} is not passed through"
    mounts = {m.split(":")[1]: m.split(":")[0] for m in svc["volumes"]}
    assert (COMPOSE_DIR / mounts["/etc/depeche/depeche.yaml"]).resolve() == COMPOSE_DIR / "depeche.compose.yaml"
    for source in mounts.values():
        assert (COMPOSE_DIR / source).exists(), f"mount source {source} does not exist"
    assert svc["stop_grace_period"] == "20s"


@pytest.mark.parametrize("stage", SCALABLE)
def test_scalable_stage_has_no_fixed_host_port(compose, stage):
    assert not compose["services"][stage].get("ports"), "a fixed host port prevents --scale"


def test_compose_settings_file():
    settings = load_settings(COMPOSE_DIR / "depeche.compose.yaml", environ={})
    assert settings.kafka.bootstrap_servers == "kafka:9092"
    assert settings.elasticsearch.url == "http://elasticsearch:9200"
    assert settings.api.host == "0.0.0.0"  # reachable through the published port
    # The run status file lives beside the stack dir: it must be writable by the image's user.
    assert settings.stack_data_dir.is_relative_to("/var/lib/depeche")


def test_dockerfile():
    text = DOCKERFILE.read_text()
    assert re.search(r"^FROM python:3\.11-slim$", text, re.M)
    assert "pip install ." in text
    assert _entrypoint() == ["depeche"]
    for line in text.splitlines():
        if line.startswith("COPY "):  # sources are relative to the repository root (build context)
            for source in line.split()[1:-1]:
                assert (REPO / source).exists(), f"COPY source {source} missing"


def test_docker_compose_config_accepts_the_file():
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("no `docker compose` on this machine: structure is checked by the tests above")
    result = subprocess.run([docker, "compose", "-f", str(COMPOSE_FILE), "config", "--quiet"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


# --- systemd -------------------------------------------------------------------------------

def _unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """Sections of a unit file as {section: {key: [values]}} (keys may repeat in systemd)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        assert current is not None, f"{path.name}: {line!r} before any section"
        key, sep, value = line.partition("=")
        assert sep, f"{path.name}: {line!r} is not key=value"
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def test_stage_unit():
    unit = _unit(SYSTEMD_DIR / "depeche@.service")
    assert set(unit) == {"Unit", "Service", "Install"}
    service = unit["Service"]
    assert service["ExecStart"] == ["/opt/depeche/.venv/bin/depeche run --stages %i"]
    assert service["Restart"] == ["on-failure"]
    assert service["KillSignal"] == ["SIGTERM"]
    assert int(service["TimeoutStopSec"][0]) > 15  # depeche stops within 15 s
    assert service["User"][0] not in ("", "root")
    assert service["EnvironmentFile"] == ["-/etc/depeche/env"]
    assert unit["Unit"]["PartOf"] == ["depeche.target"]
    assert unit["Install"]["WantedBy"] == ["depeche.target"]


def test_target_unit():
    unit = _unit(SYSTEMD_DIR / "depeche.target")
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here; the unit files were parsed above")
    host_units = next((d for d in (Path("/usr/lib/systemd/system"), Path("/lib/systemd/system"))
                       if (d / "sysinit.target").exists()), None)
    if host_units is None:
        pytest.skip("no systemd unit directory with sysinit.target to verify against")
    # A throw-away root: the host's standard units, ours, and a stand-in for the installed
    # executable (verify refuses an ExecStart that does not exist).
    root = tmp_path / "root"
    shutil.copytree(host_units, root / "usr/lib/systemd/system", symlinks=True)
    (root / "etc/systemd/system").mkdir(parents=True)
    for name in ("depeche@.service", "depeche.target"):
        shutil.copy(SYSTEMD_DIR / name, root / "etc/systemd/system" / name)
    exe = root / "opt/depeche/.venv/bin/depeche"
    exe.parent.mkdir(parents=True)
    exe.write_text("#!/bin/sh\n")
    exe.chmod(0o755)
    units = [f"depeche@{stage}.service" for stage in STAGES] + ["depeche.target"]
    result = subprocess.run([analyze, "verify", "--man=no", f"--root={root}", *units],
                            capture_output=True, text=True, timeout=120)
    # Parse problems are only warnings (exit 0): any line naming our files is a failure too.
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if "depeche" in line]
    assert result.returncode == 0 and not complaints, result.stdout + result.stderr
