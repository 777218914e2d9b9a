"""What the registers (the debtor list and the victims' register) share: identity rules, masks,
keyed hashes."""
