"""Stage 3, extract (being written)."""


def extract(*args, **kwargs):
    raise NotImplementedError
