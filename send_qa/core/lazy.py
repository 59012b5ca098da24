"""Libraries imported when first used, not when a module naming them is.

pandas, NumPy and openpyxl take 0.6 s of the 2.6 s a process of the portal takes to start
(`python -X importtime manage.py check`), though only imports, exports and the bench use them:
every web server, worker, beat and `manage.py` command paid it. A module that needs one writes

    if TYPE_CHECKING:
        import pandas as pd
    else:
        pd = lazy_module("pandas")

with `from __future__ import annotations`, so that its annotations name the real types and the
library is imported at the first `pd.` that runs."""

import importlib
from types import ModuleType
from typing import Any


class _LazyModule(ModuleType):
    def __getattr__(self, name: str) -> Any:
        return getattr(importlib.import_module(self.__name__), name)


def lazy_module(name: str) -> ModuleType:
    return _LazyModule(name)
