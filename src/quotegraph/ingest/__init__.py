"""Bring articles into a corpus store: read them (``sources``), know them again (``identity``), extract
and write what is new (``run``)."""
from .run import IngestStats, ingest

__all__ = ["IngestStats", "ingest"]
