"""Import past awards and annual ratings from an Excel workbook, all rows or none."""

from django.core.management.base import BaseCommand, CommandError

from awards.history.importing import ImportFailed, import_award_history
from portal.errors import RuleViolation
from portal.models import User


class Command(BaseCommand):
    help = "Nhập lịch sử khen thưởng và xếp loại hằng năm từ tệp Excel (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Đường dẫn tệp .xlsx")
        parser.add_argument(
            "--user", required=True, help="Tên đăng nhập của người nhập (được ghi vào lịch sử)"
        )

    def handle(self, *args, path: str, user: str, **options):
        try:
            actor = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist as error:
            raise CommandError(f"Không có tài khoản “{user}”.") from error
        try:
            with open(path, "rb") as file:
                result = import_award_history(file, actor=actor)
        except FileNotFoundError as error:
            raise CommandError(f"Không tìm thấy tệp {path}.") from error
        except ImportFailed as failure:
            for error in failure.errors:
                self.stderr.write(str(error))
            raise CommandError(failure.message) from failure
        except RuleViolation as violation:
            raise CommandError(violation.message) from violation
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {result.awards} khen thưởng và {result.ratings} xếp loại hằng năm."
            )
        )
