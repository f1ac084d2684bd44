"""``python -m quotegraph.spark extract IN OUT``, and the same through ``spark-submit``:

    JOB=$(python -c 'import quotegraph.spark as s; print(s.__path__[0])')/__main__.py
    PYSPARK_PYTHON=$(which python) spark-submit --master yarn $JOB extract IN OUT

runs ``quotegraph spark ...`` with its arguments and its one-line errors.
"""
import sys

if __package__ in (None, ""):
    # spark-submit runs this file as a script, which puts its folder first on the path,
    # where datasets.py or session.py would shadow packages of those names.
    sys.path.pop(0)

from quotegraph.cli import main  # noqa: E402  (after the path is set right)

if __name__ == "__main__":
    main(["spark", *sys.argv[1:]], prog_name="quotegraph")
