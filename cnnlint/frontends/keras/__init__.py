"""The Keras front end: ``frontend`` (interpreter hooks, finding and tracing models), ``models`` (Keras
model values), ``layers`` (the table mapping Keras layer classes to engine layers)."""

from .frontend import KerasFrontEnd

__all__ = ["KerasFrontEnd"]
