"""Views of the foundation, one module per page family. Views read through selectors and the scoping layer
and write only through services."""
