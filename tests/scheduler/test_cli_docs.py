"""Every operator command has help text and is documented in docs/operations.md (issue #6)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tim.cli.main import app

DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
COMMANDS = ("run", "status", "runs")


def test_ops_commands_have_help_and_docs():
    text = DOCS.read_text(encoding="utf-8")
    for name in COMMANDS:
        result = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        assert "--db" in result.stdout and "--config" in result.stdout
        command = next(c for c in app.registered_commands if c.name == name)
        assert (command.callback.__doc__ or "").strip(), name
        assert f"tim {name}" in text, f"tim {name} is missing from docs/operations.md"
    for key in ("max_concurrent_runs", "jitter_seconds", "run_deadline_seconds", "deadlines", "misfire_grace_seconds",
                "shutdown_grace_seconds", "expire_after_missing_runs", "expected_update", "/metrics", "/status"):
        assert key in text, key
