"""Shared test settings: one torch thread (two threads on two busy cores slow tiny models ~60x)."""

import torch
from hypothesis import settings

torch.set_num_threads(1)
settings.register_profile("project", deadline=None, max_examples=40)
settings.load_profile("project")
