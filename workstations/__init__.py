"""workstations 站、室、点: workstations, studios and contact points (filled by a later issue)."""
