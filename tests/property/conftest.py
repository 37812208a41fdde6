"""The hypothesis profile of the hostile-input properties: reproducible in CI, and quiet.

`derandomize=True` makes every run generate the same examples (so a red CI run is a red local
run), `database=None` keeps nothing between runs, and no deadline: a slow shared machine is not
a failure. Each test applies the profile with its own `max_examples` (see `__init__.py`).
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
