"""The `castkg push` subcommands (to be written)."""

COMMANDS: tuple = ()
