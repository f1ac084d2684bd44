"""What CLI tests share: running ``quotegraph`` in-process and checking its one-line errors.

Imported by test modules in any folder (``tests/conftest.py`` puts this folder on the path).
"""
from __future__ import annotations

from click.testing import CliRunner

from quotegraph import cli


def run(*args: str):
    """``quotegraph ARGS...`` in-process, stdout and stderr apart."""
    return CliRunner().invoke(cli.main, list(args))


def assert_one_line_error(result, code: str) -> None:
    """The command failed with exit status 1 and one ``Error: CODE ...`` line, printing nothing else."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {code} "), result.stderr
    assert result.stdout == "" and "Traceback" not in result.output
