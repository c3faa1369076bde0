from typing import Any

from django.core.management.base import BaseCommand, CommandError

from points import services


class Command(BaseCommand):
    help = "Prove the ledger: balances equal their entries, transactions balance, awards match the rules."

    def handle(self, *args: Any, **options: Any) -> None:
        report = services.points_reconcile()
        for difference in report.differences:
            self.stderr.write(difference)
        summary = (
            f"{report.accounts} accounts, {report.transactions} transactions, "
            f"{report.participations} participations"
        )
        if not report.ok:
            raise CommandError(f"{len(report.differences)} difference(s) in {summary}")
        self.stdout.write(f"no difference: {summary}")
