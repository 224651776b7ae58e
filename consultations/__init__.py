"""consultations 协商: the bi-monthly consultation cycle (filled by a later issue)."""
