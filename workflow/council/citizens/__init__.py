"""Citizens with accounts of their own: they register, confirm their address, and write to deputies."""
