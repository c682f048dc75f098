"""The crash tests of test_crash.py against the test server as Odoo 19 (JSON-2): the same tests,
collected here too, in a file of their own so that 17 and 19 run on two workers at once."""

from __future__ import annotations

import pytest

from .test_crash import *  # noqa: F403  (the tests, collected here with this file's server)
from .test_crash import Scenarios, _validated_once  # noqa: F401  (the autouse fixture)


@pytest.fixture(scope="module", params=["19.0"], ids=["odoo19"])
def scenarios(demo, tmp_path_factory, request) -> Scenarios:
    return Scenarios(demo, tmp_path_factory.mktemp("crash"), request.param)
