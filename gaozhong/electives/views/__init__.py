"""Pages of the course-selection and timetabling app."""
