"""The save hook of a Lab server as slow as a busy hub's: the workbook's own hook, late.

On a loaded machine Lab's next autosave (every second) can start before the last save has
answered; ``fresh_lab`` uses this hook so that always happens, and what a trainee would then see
is tested, not left to chance.
"""

from __future__ import annotations

import time
from typing import Any

from clinician_workbook.lab import keep_no_outputs

SECONDS = 1.5  # longer than Lab's autosave interval, so every save overlaps the next


def late_keep_no_outputs(model: dict[str, Any], **kwargs: Any) -> None:
    time.sleep(SECONDS)
    keep_no_outputs(model, **kwargs)
