"""The national export over the API: the same JSON Lines as `manage.py export_national`."""

from __future__ import annotations

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Router

from api.endpoints.common import get_scoped, user_of
from api.exchange.national import national_lines
from portal.downloads import attach, file_name
from portal.models import Unit

router = Router(tags=["Trao đổi dữ liệu"])


@router.get(
    "/exports/national",
    summary="Khen thưởng và quyết định của năm, dạng JSON Lines, báo cáo cấp trên",
    response={200: str},
    openapi_extra={
        "responses": {
            200: {
                "description": "Một đối tượng JSON mỗi dòng (docs/national-export.schema.json)",
                "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
            }
        }
    },
)
def national_export(request: HttpRequest, unit: int, year: int):
    user = user_of(request)
    target = get_scoped(Unit.objects.visible_to(user), pk=unit)
    lines = national_lines(target, year, actor=user)
    response = StreamingHttpResponse(
        (line + "\n" for line in lines), content_type="application/x-ndjson; charset=utf-8"
    )
    return attach(response, file_name("Khen thưởng năm", str(year), target.name, extension="jsonl"))
