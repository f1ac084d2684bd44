"""Errors quotegraph raises, each with a stable code.

    QuotegraphError            base class: catch this to catch them all
    ├── InputError             an article or input file quotegraph cannot read
    ├── ModelError             the configured spaCy pipeline cannot be loaded
    ├── StoreError             a corpus database quotegraph cannot open or use
    ├── QueryError             a question to a corpus that cannot be answered as asked
    └── SparkError             Spark cannot run here: pyspark or Java is missing

``cluster_quotes`` and ``merge_people`` raise plain ``ValueError`` (E040-E043)
for input a caller built wrongly: a store never gives them such input.

Messages live here under codes (``E001``) so call sites only format and raise,
and users can search for the code.
"""
from __future__ import annotations


class QuotegraphError(Exception):
    """Base class of every error quotegraph raises on purpose."""


class InputError(QuotegraphError, ValueError):
    """Input that cannot be read as an article."""


class ModelError(QuotegraphError, RuntimeError):
    """The spaCy pipeline named in the options cannot be loaded."""


class StoreError(QuotegraphError, RuntimeError):
    """A corpus database that cannot be opened, or was made by a newer quotegraph."""


class QueryError(QuotegraphError, ValueError):
    """A corpus query with a bad argument (a date, a type) or naming nothing the corpus holds."""


class SparkError(QuotegraphError, RuntimeError):
    """The Spark commands cannot start: pyspark is not installed or no Java runs it."""


class Messages:
    """Message templates, each prefixed by its code."""

    E001 = "E001 text must be a str, not {type}"
    E002 = "E002 {model!r} is not an installed spaCy pipeline: install it (see README) or set QUOTEGRAPH_MODEL"
    E003 = "E003 {model!r} lacks the components quotegraph needs: {missing}"

    # Reading input (readers.py): {where} names a file, "stdin", or "FILE, line N".
    E010 = "E010 {where}: no such file or folder"
    E011 = "E011 {where}: cannot be read ({reason})"
    E012 = "E012 {where}: not valid UTF-8 ({detail})"
    E013 = "E013 {where}: looks binary (NUL byte at {pos}), not a UTF-8 text article"
    E014 = "E014 {where}: empty, no article text"
    E015 = "E015 {where}: not valid JSON ({reason})"
    E016 = "E016 {where}: expected a JSON object with a string \"text\", got {got}"
    E017 = "E017 {where}: no {patterns} files in this folder"
    E018 = "E018 no readable article in the input ({skipped} skipped)"
    E019 = "E019 no bundled sample articles in {where}"
    E020 = "E020 {where}: no article in this HTML page ({words} words of main text, fewer than {minimum})"
    E021 = "E021 {where}: not a readable gzip file ({reason})"
    E022 = "E022 {where}: not a readable WARC file ({reason})"
    E023 = "E023 {where}: more than {limit} bytes of HTML, too large for one page"

    # The corpus database (store/).
    E030 = "E030 {where}: not a quotegraph database ({reason})"
    E031 = ("E031 {where}: made by a newer quotegraph (migrations this version does not know: {names}); "
            "upgrade quotegraph to use it")
    E032 = "E032 {where}: cannot open the database ({reason})"
    E033 = "E033 {where}: no such corpus database; create it with `quotegraph ingest PATH --db {where}`"
    E034 = "E034 {where}: PostgreSQL needs the psycopg driver: pip install 'quotegraph[postgres]'"
    E035 = "E035 {where}: the database server failed or went away ({reason}); what was committed is kept"

    # Clustering input (cluster/): raised as ValueError, a caller's mistake.
    E040 = "E040 cluster_quotes: occurrence key {key} appears twice; keys must be unique"
    E041 = "E041 cluster_quotes: occurrence {key} has type {type!r}, not one of {types}"
    E042 = "E042 cluster_quotes: occurrence {key} has confidence {confidence}, outside [0, 1]"
    E043 = "E043 merge_people: person record keys must be unique"

    # Querying a corpus (corpus.py, reports.py).
    E050 = "E050 {value!r} is not a date: give YYYY-MM-DD (or YYYY-MM, YYYY)"
    E051 = "E051 {value!r} is not a quote type: give one of {types}"
    E052 = "E052 no quote {id} in {where}; `quotegraph search WORDS` finds quote ids"
    E053 = "E053 no quote in {where} holds the words {words!r}"
    E054 = "E054 no person in {where} is named {name!r}; `quotegraph people` lists them"
    E055 = "E055 parquet export needs pyarrow: pip install 'quotegraph[parquet]'"
    E056 = "E056 parquet is binary: name the file to write with -o FILE"
    E057 = "E057 {value} must be at least {minimum}"
    E058 = "E058 {value!r} is not an export format: give one of {formats}"
    E059 = "E059 the query took longer than {seconds:g} s and was stopped: narrow it (more words, a filter)"

    # Serving (serve/): the API answers these with a 4xx status, the pages show them.
    E060 = "E060 page {page} of size {size} asks for too much: pages go up to {max_page}, sizes up to {max_size}"
    E061 = "E061 {name} is {length:,} characters long, more than the {limit:,} allowed"
    E062 = "E062 {value!r} is not a sort order: give one of {sorts}"
    E063 = "E063 no person {id} in this corpus; /api/people lists them"
    E064 = "E064 no article {id} in this corpus"
    E065 = "E065 {count} articles in one request: send between 1 and {limit}"
    E066 = "E066 an article needs a non-empty \"text\" string"
    E067 = "E067 writing is off: the server was started without a token (set it with --token-env)"
    E068 = "E068 missing or wrong bearer token (send Authorization: Bearer TOKEN)"
    E069 = "E069 the request body is larger than {limit:,} bytes"
    E070 = "E070 too many expensive requests from this client: try again in {seconds} s"
    E071 = "E071 {route} does not take this request: {reason}"
    E072 = "E072 serving needs the serve extra: pip install 'quotegraph[serve]' ({reason})"

    # Spark jobs and their output (spark/).
    E080 = "E080 the Spark commands need pyspark: pip install 'quotegraph[spark]'"
    E081 = ("E081 Spark needs Java 17 or later and found no `java` (JAVA_HOME, PATH): install one, "
            "e.g. apt-get install openjdk-17-jre-headless")
    E082 = "E082 {where}: no {name}/ dataset here; make it with `quotegraph spark {command}`"
    E083 = "E083 {where} already exists: name a new OUTPUT, or pass --overwrite to replace it"
    E084 = ("E084 {where} holds {count} quotes that the clusters do not cover (articles from elsewhere): "
            "load into a new database, or leave out --clusters to cluster the whole corpus here")
    E085 = "E085 the clusters name occurrence {key}, which {where} does not hold: they come from another extract"

    # Reading gold annotations (evaluation/datasets.py).
    E101 = "E101 {where}: not a JSON object: {reason}"
    E102 = "E102 {where}: missing or malformed {field!r}"
    E103 = "E103 {where}: quote {index} {field} {span} is outside the text (length {length}) or starts after it ends"
