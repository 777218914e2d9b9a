"""The static copy: the freeze, its link check, Pagefind and the debtor shards (CLI only)."""
