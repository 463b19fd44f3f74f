"""Hypothesis profiles for the fuzz run, chosen with VBT_FUZZ_PROFILE (default "ci").

"ci" keeps the whole fuzz run under a minute per database run and is deterministic, so CI
never turns red by luck; "long" is for a local hunt (`VBT_FUZZ_PROFILE=long make test
PYTEST_ARGS="tests/fuzz"`) and draws new examples every run.
"""

import os

from hypothesis import HealthCheck, settings

# The `world` and `client` fixtures are per test, not per example: each example rolls back
# its own writes (strategies.one_example), so sharing them between examples is intended.
_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("ci", max_examples=4, derandomize=True, **_COMMON)
settings.register_profile("long", max_examples=50, **_COMMON)

FUZZ = settings.get_profile(os.environ.get("VBT_FUZZ_PROFILE", "ci"))
