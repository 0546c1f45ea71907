"""The demo council: a plausible city council with its people, drafts, sittings and messages, for trying the
system out (`radaflow seed demo`). Outside the domain: it only uses the domain's operations."""
