"""``python -m castkg`` is the same program as ``castkg``."""

from castkg.cli import main

main()
