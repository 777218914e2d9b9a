"""The static copy: Frozen-Flask renders and writes it; the link check, Pagefind and the debtor
shards follow (CLI only)."""
