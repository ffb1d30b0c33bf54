"""People and records: teacher profiles, 师德 records with the one-vote veto, training, rotation and staffing."""
