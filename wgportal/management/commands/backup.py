from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wgportal import backups


class Command(BaseCommand):
    help = "Back up the database and the media files into a new folder (see SECURITY.md, Backups)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="var/backups",
                            help="Folder to put the backup in (default var/backups).")

    def handle(self, *args, output, **options):
        try:
            folder = backups.backup(Path(output))
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"Backup written to {folder}"))
        self.stdout.write(str(folder))
