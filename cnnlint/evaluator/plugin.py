"""The evaluator's plug-in contract: what front ends answer for values they own."""

NOT_HANDLED = object()
