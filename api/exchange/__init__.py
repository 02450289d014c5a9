"""Data exchange with other systems: the national export."""
