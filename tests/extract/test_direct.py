"""Joining quoted sentences around their attribution."""
import pytest

import quotegraph
from quotegraph.options import Options

pytestmark = pytest.mark.slow

LONG_ATTRIBUTION = ('"The ferry has to run all winter," said Ilse Varga, who has chaired the harbour '
                    'board for eleven years in the town. "Nobody here can wait until spring."')


def test_direct_join_all_joins_around_a_long_attribution():
    quotes = quotegraph.extract(LONG_ATTRIBUTION, options=Options(join_all=True)).quotes
    assert len(quotes) == 1 and len(quotes[0].spans) == 2
    assert quotes[0].speaker == "Ilse Varga"


def test_direct_long_attribution_ends_the_quote_by_default():
    quotes = quotegraph.extract(LONG_ATTRIBUTION).quotes
    assert [q.text for q in quotes] == ["The ferry has to run all winter",
                                        "Nobody here can wait until spring."]
