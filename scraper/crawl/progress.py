"""What a crawl run tells as it goes (:class:`Progress`); the CLI's progress bar is one."""

from __future__ import annotations


class Progress:
    """What a run tells as it goes: lines of news (a list page read, a state rebuilt), and items queued and
    done, for a progress bar that counts items with an ETA. This base class ignores all of it."""

    def message(self, text: str) -> None:
        """One line of progress."""

    def queued(self, count: int) -> None:
        """``count`` more view pages are to be fetched."""

    def item_done(self) -> None:
        """One queued view page is done (written, unchanged or failed)."""
