"""The council's domain: its roles, the rules its documents move by (guards), and the effects they ask for."""
