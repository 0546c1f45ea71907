"""A decision's whole path as the public reads it: a read model over the audit log and the records."""
