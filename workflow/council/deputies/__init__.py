"""The council's deputies as the public sees them: who they are, where they sit, how they attend and vote, and
how they answer the citizens who write to them. Read models only: nothing here changes anything."""
