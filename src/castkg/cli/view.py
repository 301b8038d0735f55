"""The `castkg view` subcommands (to be written)."""

COMMANDS: tuple = ()
