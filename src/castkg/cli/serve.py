"""The `castkg serve` subcommands (to be written)."""

COMMANDS: tuple = ()
