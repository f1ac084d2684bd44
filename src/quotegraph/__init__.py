"""quotegraph: who said what, where and when, from news text."""
import logging

from .corpus import Corpus
from .errors import InputError, ModelError, QueryError, QuotegraphError, StoreError
from .model import ArticleResult, Person, Quote, Span
from .options import Options
from .pipeline import extract, extract_many

__all__ = [
    "ArticleResult", "Corpus", "InputError", "ModelError", "Options", "Person", "QueryError", "Quote",
    "QuotegraphError", "Span", "StoreError", "extract", "extract_many",
]
__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
