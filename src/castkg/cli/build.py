"""The `castkg build` subcommand (being written)."""

COMMANDS: tuple = ()
