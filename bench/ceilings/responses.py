"""The JSON response class every ceiling app uses: orjson, as the Orderyard server does."""

from typing import Any

import orjson
from fastapi.responses import JSONResponse


class OrjsonResponse(JSONResponse):
    """A JSON response rendered by orjson.

    FastAPI's own ``ORJSONResponse`` is deprecated, so the ceilings carry this three-line
    equivalent and return it directly, which skips ``jsonable_encoder``.
    """

    def render(self, content: Any) -> bytes:
        """Serialize ``content`` with orjson."""
        return orjson.dumps(content)
