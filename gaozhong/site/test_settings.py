"""Settings for the test suite: the project's settings with jobs run at once, in the request that starts them.

The real job runner (database backend + ``db_worker``) stays configured as the ``database`` backend, and a test
runs a job through it end to end.
"""

from .settings import *  # noqa: F401,F403

TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]

# Uploads and evidence files of the test run go to a temporary folder, never the repository's var/.
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

UPLOAD_DIR = Path(tempfile.mkdtemp(prefix="gaozhong-test-uploads-"))

# The demo builder's files (what a bureau would receive) of the test run: a temporary folder as well.
DEMO_FILES_DIR = Path(tempfile.mkdtemp(prefix="gaozhong-test-demo-files-"))

# On SQLite the test database is a file of the run's own, not Django's default shared-cache memory database, so
# that tests with threads (two imports at once; a job's progress read while it runs) meet SQLite's real locking:
# one writer at a time, waiting up to the timeout, and readers never blocked (WAL). In shared-cache memory a
# second writer fails at once with "database table is locked". (xdist workers each get their own file.)
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="gaozhong-test-db-")) / "test.sqlite3")}  # noqa: F405
