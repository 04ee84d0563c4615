"""Write the bundled course's notebooks into notebooks/ (a test checks the committed files match).

Run: .venv/bin/python scripts/make_notebooks.py [FOLDER]
"""

from __future__ import annotations

import sys
from pathlib import Path

from clinician_workbook.content import load_bundled
from clinician_workbook.notebooks import write_notebooks

if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "notebooks"
    for path in write_notebooks(load_bundled(), folder):
        print(path)
