"""Template helpers of the electives app."""
