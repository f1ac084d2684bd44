"""quotegraph: who said what, where and when, from news text."""
import logging

from .errors import InputError, ModelError, QuotegraphError
from .model import ArticleResult, Person, Quote, Span
from .options import Options
from .pipeline import extract, extract_many

__all__ = [
    "ArticleResult", "InputError", "ModelError", "Options", "Person", "Quote",
    "QuotegraphError", "Span", "extract", "extract_many",
]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
