"""Pipeline stage (being written)."""


def to_dataset(*args, **kwargs):
    raise NotImplementedError
