"""brands 工作品牌: the brand registry with scoring and voting (filled by a later issue)."""
