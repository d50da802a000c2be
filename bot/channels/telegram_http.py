"""PTB's requests to the Bot API made with aiohttp, through ``BaseRequest`` — the seam PTB
documents for another HTTP library. httpx, PTB's default, spends more on its connection
pool's bookkeeping than on the sending itself when many updates are answered at once (every
connection is looked at, with a system call, for every request): ``bench/inbound.py`` measured
it as about half of a message's cost. The long poll keeps PTB's own request (one call per batch)."""

from __future__ import annotations

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest"]


class AiohttpRequest(BaseRequest):
    """At most ``connections`` requests in flight (the rest wait their turn); each bounded by
    ``timeout`` seconds in all (an upload by ``upload_timeout``), or by a longer read time PTB
    passes for one call."""

    def __init__(self, connections: int, timeout: float, upload_timeout: float) -> None:
        self._connections = connections
        self._timeout = timeout
        self._upload_timeout = upload_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return self._timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("the Bot API request is not initialized")
        uploads = request_data is not None and request_data.contains_files
        total = self._upload_timeout if uploads else self._timeout
        if isinstance(read_timeout, int | float):
            total = max(total, float(read_timeout))
        try:
            async with self._session.request(
                method,
                url,
                data=_body(request_data),
                headers={"User-Agent": self.USER_AGENT},
                timeout=aiohttp.ClientTimeout(total=total),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:  # aiohttp's time-outs are asyncio's, which is this one
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            raise NetworkError(f"aiohttp.{type(exc).__name__}") from exc


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """A form: urlencoded, or multipart when it carries files."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields or None
    form = aiohttp.FormData(quote_fields=False)  # UTF-8 names as written, as httpx sends them
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime)
    return form
