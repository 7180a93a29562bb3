"""The rule catalogue; each rule's document is rules/<CODE>.md."""

from __future__ import annotations

from typing import Iterable, Set

from .base import Finding, Rule, RuleContext
from .cnn000_internal_error import InternalError
from .cnn001_syntax_error import SyntaxError_
from .cnn002_empty_file import EmptyFile
from .cnn101_incompatible_input import IncompatibleInput
from .cnn102_non_integer_output_size import NonIntegerOutputSize
from .cnn103_non_positive_output_size import NonPositiveOutputSize
from .cnn104_invalid_layer_argument import InvalidLayerArgument
from .cnn201_too_many_parameters import TooManyParameters
from .cnn202_too_many_macs import TooManyMacs
from .cnn301_bias_before_normalization import BiasBeforeNormalization
from .cnn302_dense_on_feature_map import DenseOnFeatureMap
from .cnn401_probabilities_into_logits_loss import ProbabilitiesIntoLogitsLoss
from .cnn402_logits_into_probabilities_loss import LogitsIntoProbabilitiesLoss
from .cnn403_degenerate_softmax import DegenerateSoftmax
from .cnn501_modules_in_plain_container import ModulesInPlainContainer
from .cnn502_repeated_module_instance import RepeatedModuleInstance
from .cnn503_unused_submodule import UnusedSubmodule
from .cnn504_functional_dropout_ignores_eval import FunctionalDropoutIgnoresEval
from .cnn505_layer_created_in_forward import LayerCreatedInForward
from .cnn601_reshape_changes_batch import ReshapeChangesBatch
from .cnn602_reshape_used_as_transpose import ReshapeUsedAsTranspose
from .cnn603_view_on_non_contiguous import ViewOnNonContiguous
from .cnn604_inplace_clobbers_live_tensor import InplaceClobbersLiveTensor
from .cnn900_analysis_incomplete import AnalysisIncomplete

ALL_RULES = [cls() for cls in (
    InternalError, SyntaxError_, EmptyFile, IncompatibleInput, NonIntegerOutputSize, NonPositiveOutputSize,
    InvalidLayerArgument, TooManyParameters, TooManyMacs, BiasBeforeNormalization, DenseOnFeatureMap,
    ProbabilitiesIntoLogitsLoss, LogitsIntoProbabilitiesLoss, DegenerateSoftmax, ModulesInPlainContainer,
    RepeatedModuleInstance, UnusedSubmodule, FunctionalDropoutIgnoresEval, LayerCreatedInForward, ReshapeChangesBatch,
    ReshapeUsedAsTranspose, ViewOnNonContiguous, InplaceClobbersLiveTensor, AnalysisIncomplete,
)]
BY_CODE = {rule.code: rule for rule in ALL_RULES}
BY_NAME = {rule.name: rule for rule in ALL_RULES}
DEFAULT_ENABLED = frozenset(rule.code for rule in ALL_RULES if rule.default_enabled)


class UnknownSelector(ValueError):
    """A code, name or prefix that matches no rule."""


def lookup(text: str) -> Rule:
    """A rule by code (any case) or kebab-case name."""
    rule = BY_CODE.get(text.strip().upper()) or BY_NAME.get(text.strip().lower())
    if rule is None:
        raise UnknownSelector(text)
    return rule


def select(selectors: Iterable[str]) -> Set[str]:
    """Codes chosen by codes, names, code prefixes (``CNN1``) or ``ALL``, as ruff selects."""
    codes: Set[str] = set()
    for text in selectors:
        key = text.strip()
        if key.upper() == "ALL":
            codes.update(BY_CODE)
            continue
        if key.lower() in BY_NAME:
            codes.add(BY_NAME[key.lower()].code)
            continue
        matched = {code for code in BY_CODE if code.startswith(key.upper())} if key else set()
        if not matched:
            raise UnknownSelector(text)
        codes.update(matched)
    return codes


__all__ = ["ALL_RULES", "BY_CODE", "BY_NAME", "DEFAULT_ENABLED", "Finding", "Rule", "RuleContext",
           "UnknownSelector", "lookup", "select"]
