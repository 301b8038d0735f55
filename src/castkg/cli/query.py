"""The `castkg query` subcommands (to be written)."""

COMMANDS: tuple = ()
