"""The upgrade fixtures' generators still import (a moved helper broke one silently) and refuse to
rewrite what the older code wrote."""

from __future__ import annotations

import pytest

from tests.fixtures.upgrade import make_fixture, make_ownership_fixture


@pytest.mark.parametrize("generator", [make_fixture, make_ownership_fixture])
def test_that_a_generator_refuses_to_rewrite_its_fixture(generator: object) -> None:
    with pytest.raises(SystemExit, match="never rewrite it"):
        generator.main()  # type: ignore[attr-defined]
