"""Shared test settings: one torch thread (two threads on two busy cores slow tiny models ~60x), and
hypothesis derandomized so that every run and every machine tries the same examples."""

import torch
from hypothesis import settings

torch.set_num_threads(1)
settings.register_profile(
    "project", deadline=None, max_examples=40, derandomize=True, database=None
)
settings.load_profile("project")
