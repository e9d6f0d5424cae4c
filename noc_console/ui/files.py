"""Where the user saves a file: one chooser shape for every export, so a test can answer for the dialog."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFileDialog, QWidget

ChooseFile = Callable[[str, str], str | None]  # (suggested file name, filter) -> the chosen path or None


def save_dialog(parent: QWidget, title: str) -> ChooseFile:
    """A chooser that asks with the platform's save dialog; None when the user cancels."""

    def choose(suggested: str, file_filter: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(parent, title, suggested, file_filter)
        return path or None

    return choose
