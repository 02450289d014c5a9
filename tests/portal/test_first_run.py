"""`make run` on a fresh machine: every migration and the whole demo load on the embedded SQLite.

CI runs the suite on PostgreSQL, so SQL that only PostgreSQL accepts (an UPDATE alias, a UNION
of ordered querysets) would pass every other test and still break the first run.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_migrate_and_load_demo_on_a_fresh_sqlite_database(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'first-run.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "DOCUMENT_SIGNING_P12": str(tmp_path / "demo-signing.p12"),
    }
    env.pop("REDIS_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput", "-v0"], ["load_demo"]):
        run = subprocess.run(
            manage + command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=900
        )
        assert run.returncode == 0, f"{' '.join(command)} failed:\n{run.stderr[-3000:]}"
    assert "lanhdao_longkhanh" in run.stdout
    assert "Dữ liệu mẫu sẵn sàng" in run.stdout
