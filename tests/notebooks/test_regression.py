"""pytest-notebook regression: the welcome notebook's rendered output is stable.

The golden file is the notebook with parameters injected and its expected outputs. After an
intended change to the welcome page or its content, regenerate with
``pytest tests/notebooks/test_regression.py --nb-force-regen`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path(__file__).parent / "golden" / "00-welcome.ipynb"


@pytest.mark.requires_kernel
def test_welcome_notebook_output_is_stable(nb_regression: Any, tmp_path: Path) -> None:
    nb_regression.exec_cwd = str(tmp_path)
    nb_regression.exec_timeout = 120
    nb_regression.diff_ignore = (
        "/cells/*/execution_count",
        "/cells/*/metadata",
        "/cells/*/outputs/*/metadata",
        "/cells/*/outputs/*/execution_count",
        "/metadata/language_info",
        "/metadata/kernelspec",
    )
    nb_regression.check(str(GOLDEN))
    assert not (tmp_path / "unused-responses").exists()
