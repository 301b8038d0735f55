"""Pipeline stage (being written)."""


def resolve(*args, **kwargs):
    raise NotImplementedError
