"""Pages of the people app, one module per page family. Views read through selectors and the scoping layer
and write only through services (a page that shows 师德 records also writes its view's audit row through
``services.ethics.ethics_viewed``)."""
