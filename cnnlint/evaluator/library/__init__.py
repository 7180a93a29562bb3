"""Library models: what Python's builtins and the libraries model code calls compute.

Each module maps names to functions ``(interp, args, kwargs, site) -> value``;
the interpreter core looks names up here and knows none of them itself.
"""

from __future__ import annotations

from . import arguments, containers, dataclasses, namedtuples, numpy, stdlib, system
from .builtins import BUILTINS, SAFE_TYPES, python_method, range_length

#: functions reached through imports (math.ceil, functools.partial, numpy.linspace)
LIBRARY = {**stdlib.FUNCTIONS, **containers.FUNCTIONS, **numpy.FUNCTIONS, **dataclasses.FUNCTIONS,
           **namedtuples.FUNCTIONS, **arguments.FUNCTIONS, **system.FUNCTIONS}
#: constants reached through imports (math.pi)
CONSTANTS = {**stdlib.CONSTANTS, **system.CONSTANTS}

__all__ = ["BUILTINS", "CONSTANTS", "LIBRARY", "SAFE_TYPES", "python_method", "range_length"]
