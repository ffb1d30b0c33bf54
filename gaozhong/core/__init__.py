"""The foundation: places (city, county, school), people (students, teachers), roles and scoping, audit, jobs."""
