"""Template tags of the foundation."""
