"""Seed a synthetic province at the scale of shared/benchmarks.md, for `make bench`."""

from django.core.management.base import BaseCommand

from portal.scale import seed_scale_province


class Command(BaseCommand):
    help = "Tạo dữ liệu quy mô tỉnh (2.000 đơn vị, 5.000 tài khoản) để đo hiệu năng."

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=2000)
        parser.add_argument("--users", type=int, default=5000)

    def handle(self, *args, units: int, users: int, **options):
        result = seed_scale_province(units=units, users=users)
        self.stdout.write(result)
