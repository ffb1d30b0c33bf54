"""Every write of the people app: keyword-only, typed functions that check permission, change the data and
write one audit row in one transaction. A refused write raises (``PermissionDenied``, ``ValidationError`` or
a :class:`~.common.Refused` with its reason and records) and changes nothing."""
