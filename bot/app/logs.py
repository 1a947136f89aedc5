"""Logging as an operator sets it: LOG_LEVEL (default INFO for `serve`, WARNING for the
others) and LOG_FORMAT (`text`, or `json`: one object per line for a log collector), each
line carrying the id of the request it belongs to (`X-Request-Id`, or one made up)."""

import json
import logging
from contextvars import ContextVar

from bot.app.settings import Settings

request_id: ContextVar[str] = ContextVar("request_id", default="-")
TEXT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


class _WithRequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request id, message (and the error)."""

    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                "logger": record.name, "request_id": getattr(record, "request_id", "-"),
                "message": record.getMessage()}
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure(settings: Settings, command: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(_WithRequestId())
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else logging.Formatter(TEXT))
    level = settings.log_level or ("INFO" if command == "serve" else "WARNING")
    logging.basicConfig(level=level, handlers=[handler], force=True)
