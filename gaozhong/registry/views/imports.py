"""Import pages of the registry app: upload an attendance, exam-sitting or transfer file (run as a background
job; the job page shows every problem with sheet, row and column, or the counts) and download its template."""

from __future__ import annotations

from gaozhong.core.views.importpages import ImportPages

from ..importspecs import SPECS
from ..services.imports import may_import
from ..tasks import run_registry_import

PAGES = ImportPages(specs=SPECS, may_import=may_import, task=run_registry_import, template_url="registry_import_template")
upload, template = PAGES.upload, PAGES.template
