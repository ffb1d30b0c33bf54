"""Import pages of the people app: upload a training or moves file (run as a background job; the job page shows
every problem with sheet, row and column, or the counts) and download its template."""

from __future__ import annotations

from gaozhong.core.views.importpages import ImportPages

from ..importspecs import SPECS
from ..services.imports import may_import
from ..tasks import run_people_import

PAGES = ImportPages(specs=SPECS, may_import=may_import, task=run_people_import, template_url="people_import_template")
upload, template = PAGES.upload, PAGES.template
