"""proposals 提案: the five steps 提、立、办、督、评 (filled by a later issue)."""
