"""Lines typed at the terminal, read without a thread, so Ctrl-C and Ctrl-D leave at once.

A thread blocked in `input()` cannot be interrupted: Ctrl-C cancelled the session but the
process then waited for Enter and printed a KeyboardInterrupt traceback. Here the event
loop watches stdin itself; Ctrl-C cancels the wait (the REPL says goodbye), and Ctrl-D
(end of input) reads as no more lines.
"""

import asyncio
import os
import sys


class Terminal:
    def __init__(self, stream=sys.stdin):
        self.fd, self._pending = stream.fileno(), b""
        self._ended = False

    async def line(self, prompt: str) -> str | None:
        """The next line (None at the end of input), after showing `prompt`."""
        sys.stdout.write(prompt)
        sys.stdout.flush()
        while b"\n" not in self._pending and not self._ended:
            chunk = await self._read()
            self._ended = not chunk
            self._pending += chunk
        if not self._pending:
            return None
        line, _, self._pending = self._pending.partition(b"\n")
        return line.decode("utf-8", errors="replace")

    async def _read(self) -> bytes:
        loop = asyncio.get_running_loop()
        ready: asyncio.Future[None] = loop.create_future()

        def readable() -> None:
            if not ready.done():
                ready.set_result(None)

        try:
            loop.add_reader(self.fd, readable)
        except PermissionError:  # a regular file: reading it never blocks
            return os.read(self.fd, 65536)
        try:
            await ready
        finally:
            loop.remove_reader(self.fd)
        return os.read(self.fd, 65536)
