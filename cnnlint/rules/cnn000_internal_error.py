from .base import Rule


class InternalError(Rule):
    code = "CNN000"
    name = "internal-error"
    severity = "error"
    summary = "cnnlint itself failed on this file"
    file_level = True
