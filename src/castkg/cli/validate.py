"""The `castkg validate` subcommands (to be written)."""

COMMANDS: tuple = ()
