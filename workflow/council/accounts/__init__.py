"""The administrator's work on people: persons and their accounts (made, renamed, deactivated, reactivated), the
password-reset links that let a person set a password of their own, and the mandates and roles they hold, granted
and ended with their dates and reasons. Every such change is recorded in the person's account history."""
