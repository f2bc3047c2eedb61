"""Question understanding, in the order it happens:

parse (years, intent, unit, mode; ``parse.py``) → agencies (which bodies it names; ``agencies.py``)
→ metrics (which standard-table cell; ``metrics.py``) → follow-ups completed against the previous
question (``followup.py``). Matching figures to the understood question lives in
``assistant.matching`` (candidates → score → decide).
"""

from assistant.understanding.followup import needs_previous, resolve_followup
from assistant.understanding.parse import Question, understand

__all__ = ["Question", "needs_previous", "resolve_followup", "understand"]
