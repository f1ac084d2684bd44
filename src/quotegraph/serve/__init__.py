"""Serving a corpus: a JSON API and web pages over one service layer (``quotegraph serve``).

Needs the ``serve`` extra (FastAPI, uvicorn, Jinja2): ``pip install 'quotegraph[serve]'``.
"""
from .app import create_app

__all__ = ["create_app"]
