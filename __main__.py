"""``python -m tim``: the same command-line interface as the ``tim`` script."""
from tim.cli.main import app

app(prog_name="tim")
