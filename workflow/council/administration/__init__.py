"""The administrator's rules: the council's settings (its name, convocation, total composition and the pattern of
decision numbers), its committees and departments (created, renamed, retired), the effects and e-mails that failed
and are put back in line, and the checks of the audit log asked for from a page and run by a worker. Only an
administrator may do any of it (`admin.require_admin`)."""
