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
