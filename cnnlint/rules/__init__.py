"""The rule catalogue; each rule's document is rules/<CODE>.md."""

from __future__ import annotations

from .base import Finding, Rule, RuleContext
from .cnn000_internal_error import InternalError
from .cnn001_syntax_error import SyntaxError_
from .cnn002_empty_file import EmptyFile
from .cnn101_incompatible_input import IncompatibleInput
from .cnn102_non_integer_output_size import NonIntegerOutputSize
from .cnn103_non_positive_output_size import NonPositiveOutputSize
from .cnn104_invalid_layer_argument import InvalidLayerArgument
from .cnn201_too_many_parameters import TooManyParameters
from .cnn900_analysis_incomplete import AnalysisIncomplete

ALL_RULES = [cls() for cls in (
    InternalError, SyntaxError_, EmptyFile, IncompatibleInput, NonIntegerOutputSize, NonPositiveOutputSize,
    InvalidLayerArgument, TooManyParameters, AnalysisIncomplete,
)]
BY_CODE = {rule.code: rule for rule in ALL_RULES}
BY_NAME = {rule.name: rule for rule in ALL_RULES}

__all__ = ["ALL_RULES", "BY_CODE", "BY_NAME", "Finding", "Rule", "RuleContext"]
