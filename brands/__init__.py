"""brands 工作品牌 (DOMAIN §7): the registry of work brands, the evaluation round with its expert
scoring, public voting that survives a surge, results and certificates."""
