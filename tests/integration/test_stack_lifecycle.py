"""`depeche stack up | status | down` on a second, private pair of engines (other ports, other
data folder), so the shared stack the other tests use is left alone."""

from __future__ import annotations

import socket

import pytest

from pipeline import stack

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_gone(pid: int) -> bool:
    """Gone, or a zombie waiting for init to reap it (it holds no resources any more)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1][0] == "Z"
    except FileNotFoundError:
        return True


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_up_is_idempotent_status_reports_health_down_leaves_nothing(live_stack, tmp_path):
    ports = {key: free_port() for key in ("kafka_port", "kafka_controller_port",
                                          "elasticsearch_port", "elasticsearch_transport_port")}
    settings = live_stack.model_copy(update={"stack": live_stack.stack.model_copy(update={
        **ports, "data_dir": str(tmp_path / "stack"), "elasticsearch_heap": "512m", "kafka_heap": "256m"})})
    try:
        stack.up(settings, timeout=240)
        rows = {row.name: row for row in stack.status(settings)}
        assert all(row.healthy and row.running for row in rows.values()), rows
        assert rows["kafka"].port == ports["kafka_port"]
        assert rows["elasticsearch"].data_dir == tmp_path / "stack" / "elasticsearch" / "data"
        pids = [row.pid for row in rows.values()]

        stack.up(settings, timeout=60)  # already running: nothing new is started
        assert [row.pid for row in stack.status(settings)] == pids
    finally:
        stack.down(settings)

    for pid in pids:
        assert process_gone(pid), f"pid {pid} still running after down"
    assert not any(port_open(port) for port in ports.values())
    assert not any(row.running or row.healthy for row in stack.status(settings))


def test_a_taken_port_is_a_one_line_error(live_stack, tmp_path):
    # The shared Kafka already listens on the configured port: a second stack must refuse it.
    settings = live_stack.model_copy(update={"stack": live_stack.stack.model_copy(update={
        "data_dir": str(tmp_path / "other")})})
    with pytest.raises(stack.StackError, match=r"port \d+ .*taken.*set stack\.kafka_port"):
        stack.KafkaEngine(settings).start()
