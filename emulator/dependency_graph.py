"""Whether a route depends (directly or through other dependencies) on a given dependency function.

The route classes use it to check credentials before FastAPI reads the body: they ask once, when the
route is built, whether its handler needs a signed-in user or an administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.dependencies.models import Dependant


def depends_on(dependant: Dependant, call: Callable[..., Any]) -> bool:
    return any(d.call is call or depends_on(d, call) for d in dependant.dependencies)
