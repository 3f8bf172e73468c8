"""Issue 15 item 6: on a narrow terminal (80 columns) `tim crawl`, `tim runs ID` and `tim status`
show a failed source's whole error message (under the table, wrapped), and text from the source
is never read as rich markup."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from tim.cli.main import app
from tim.demo.web import LocalWeb, Response

# The broken feed's path carries rich markup and is long enough to need wrapping at 80 columns.
BROKEN_PATH = "/een-heel-lange-padnaam/voor-een-bron-die-[bold]niet[/bold]-meer-bestaat/nieuws.rss"


def _flat(text: str) -> str:
    """Text with the wrapping undone (rich folds a long URL mid-word): all whitespace removed."""
    return re.sub(r"\s+", "", text)


def test_whole_error_message_at_80_columns(tmp_path):
    with LocalWeb() as web:
        web.route("/robots.txt", Response("User-agent: *\nAllow: /\n", content_type="text/plain"))
        web.route(BROKEN_PATH, Response("gone", status=410, content_type="text/plain"))
        cfg = tmp_path / "sources.toml"
        cfg.write_text(f"""
[[sources]]
id = "f0"
name = "Kapotte bron"
kind = "rss"
url = "{web.url(BROKEN_PATH)}"
item_kind = "news"
allow_private_network = true
""", encoding="utf-8")
        db = f"sqlite:///{tmp_path / 't.db'}"
        runner = CliRunner()
        env = {"COLUMNS": "80"}
        crawl = runner.invoke(app, ["crawl", "--db", db, "--config", str(cfg)], env=env)
        assert crawl.exit_code == 1, crawl.output
        history = json.loads(runner.invoke(app, ["runs", "f0", "--json", "--db", db, "--config", str(cfg)]).stdout)
        message = history[0]["error"]
        assert message.startswith("source 'f0':") and "410" in message and "[bold]niet[/bold]" in message
        assert len(message) > 80  # it has to wrap

        runs = runner.invoke(app, ["runs", "f0", "--db", db, "--config", str(cfg)], env=env)
        status = runner.invoke(app, ["status", "--db", db, "--config", str(cfg)], env=env)
        for result in (crawl, runs, status):
            assert result.exit_code in (0, 1), result.output
            lines = result.stdout.splitlines()
            assert max(len(line) for line in lines) <= 80, result.stdout
            assert _flat(message) in _flat(result.stdout), result.stdout
        assert "f0 (failed):" in crawl.stdout and "run 1 (failed):" in runs.stdout
        assert "f0 (failing):" in status.stdout
