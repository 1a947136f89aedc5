"""Invoke responses in the shape Teams reads (adaptivecards.io, "Universal Action Model",
response format: `statusCode`, `type`, `value`).

botbuilder's CloudAdapter serializes an invoke response's body as a msrest Model, once; its
own `adaptiveCard/action` path hands it an already serialized dict (and a plain string value
cannot be serialized at all), so Python bots answering Action.Execute through it fail (the
same AttributeError as microsoft/teams-sdk#2547). These bodies are Models it can serialize.
"""

from http import HTTPStatus

from botbuilder.core import InvokeResponse
from msrest.serialization import Model

CARD = "application/vnd.microsoft.card.adaptive"
NOTICE = "application/vnd.microsoft.activity.message"
ERROR = "application/vnd.microsoft.error"


class _Body(Model):
    _attribute_map = {
        "status_code": {"key": "statusCode", "type": "int"},
        "type": {"key": "type", "type": "str"},
        "value": {"key": "value", "type": "object"},
    }

    def __init__(self, status_code: int, type: str, value) -> None:  # noqa: A002 (Teams' name)
        super().__init__()
        self.status_code, self.type, self.value = status_code, type, value


def card(content: dict) -> InvokeResponse:
    """The card to show in place of the one acted on, to whoever acted or looked."""
    return InvokeResponse(status=HTTPStatus.OK, body=_Body(HTTPStatus.OK, CARD, content))


def notice(text: str) -> InvokeResponse:
    """A short message Teams shows instead of changing the card."""
    return InvokeResponse(status=HTTPStatus.OK, body=_Body(HTTPStatus.OK, NOTICE, text))


def refused(code: str, message: str) -> InvokeResponse:
    """An invoke this app does not handle, or a malformed one: 400, never a 5xx."""
    return InvokeResponse(status=HTTPStatus.BAD_REQUEST, body=_Body(
        HTTPStatus.BAD_REQUEST, ERROR, {"code": code, "message": message}))
