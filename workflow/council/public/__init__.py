"""What the public portal reads: the council's sessions, committees and the latest of its work, as the law
makes them public (the definitions' public states, `workflow.council.access`). Read models only: nothing here
writes."""
