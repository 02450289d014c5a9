"""Stands in for another app's demo module (campaigns/demo.py and the like) in test_demo."""

from typing import TextIO

from portal.demo import demo_province


def load(*, stdout: TextIO) -> None:
    stdout.write(f"Ứng dụng thử: đã thấy {demo_province().name}\n")
