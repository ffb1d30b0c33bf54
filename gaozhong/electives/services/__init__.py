"""Every write of the course-selection and timetabling app: each service checks permission, changes the data and
writes its audit row in one transaction."""
