"""The README: its main job's quotegraph steps run and print what it shows, and it names every command."""
from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from cli_helpers import run

README = Path(__file__).resolve().parents[2] / "README.md"


def main_job() -> tuple[list[list[str]], str]:
    """The quotegraph commands of the README's first command, and the output excerpt it shows."""
    text = README.read_text(encoding="utf-8")
    first = re.search(r"```sh\n(.*?)\n", text)[1]
    steps = [shlex.split(step) for step in first.split(" && ")]
    commands = [step[1:] for step in steps if step[0] == ".venv/bin/quotegraph"]
    excerpt = re.search(r"```text\n(.*?)```", text, re.S)[1]
    return commands, excerpt


@pytest.mark.slow
def test_readme_main_job_runs_and_shows_its_excerpt(tmp_path):
    commands, excerpt = main_job()
    # It ends by serving the corpus (the serve tests cover the server): the steps before print the excerpt.
    assert [c[0] for c in commands] == ["ingest", "quote", "people", "serve"]
    assert commands[-1] == ["serve", "--db", "sample.db"]
    output = ""
    for command in commands[:-1]:
        args = [str(tmp_path / "sample.db") if a == "sample.db" else a for a in command]
        result = run(*args, "--no-progress") if command[0] == "ingest" else run(*args)
        assert result.exit_code == 0, result.output
        output += result.stdout
    for line in excerpt.splitlines():
        if line.strip() != "...":
            assert line in output.splitlines(), line


def test_readme_documents_every_command():
    from quotegraph import cli

    text = README.read_text(encoding="utf-8")
    for name in cli.main.commands:
        assert f"quotegraph {name} " in text, name
