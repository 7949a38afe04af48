"""Generate the student release from `source/` with the real nbgrader."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from autograder.course import current_course


def release_course(out: Path | None = None, source_dir: Path | None = None) -> list[Path]:
    """Run `nbgrader generate_assignment` for every assignment in a scratch course folder; copy to `out`."""
    out = Path(out or current_course().release_dir)
    source_dir = Path(source_dir or current_course().source_dir)
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config

    # nbgrader runs its database migrations with the `alembic` of the running Python's environment
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    written = []
    with tempfile.TemporaryDirectory(prefix="autograder-release-") as tmp:
        root = Path(tmp)
        shutil.copytree(source_dir, root / "source", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        config = Config()
        config.CourseDirectory.root = str(root)
        config.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
        config.Exchange.root = str(root / "exchange")
        api = NbGraderAPI(config=config)
        for folder in sorted(p for p in (root / "source").iterdir() if p.is_dir()):
            result = api.generate_assignment(folder.name, force=True)
            if not result.get("success"):
                raise RuntimeError(
                    f"nbgrader could not release {folder.name}: {result.get('error') or result.get('log')}"
                )
            target = Path(out) / folder.name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(root / "release" / folder.name, target)
            written += sorted(target.rglob("*.ipynb"))
    return written
