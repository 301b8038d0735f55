"""Pipeline stage (being written)."""


def extract(*args, **kwargs):
    raise NotImplementedError
