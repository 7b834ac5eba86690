"""medrisk-xl: map the cyber risk of a medical device fleet with Excel workbooks.

The method (MACE criticality x AFIB digital vulnerability, IDS213, DOI 10.34746/ids213)
lives in content packs; :func:`score` is the one reference scorer.
"""

from medrisk_xl.core.problems import MedriskError, Problem
from medrisk_xl.core.version import __version__
from medrisk_xl.method.pack import ContentPack, load_pack
from medrisk_xl.method.scorer import AnswerError, Result, score

__all__ = [
    "AnswerError",
    "ContentPack",
    "MedriskError",
    "Problem",
    "Result",
    "__version__",
    "load_pack",
    "score",
]
