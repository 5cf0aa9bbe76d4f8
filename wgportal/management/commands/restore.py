from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from wgportal import backups


class Command(BaseCommand):
    help = ("Restore the database and the media files from a backup folder made by `backup`; "
            "replaces what is there now (see SECURITY.md, Backups).")
    # The database may not exist yet (restoring after a loss): nothing may touch it before the restore.
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("folder", help="The backup folder (wgportal-backup-...).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, folder, yes, **options):
        if not yes:
            answer = input(f"Replace the current database and media files with {folder}? Type 'yes': ")
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            manifest = backups.restore(Path(folder))
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from None
        counts = ", ".join(f"{n} {label}" for label, n in manifest.get("counts", {}).items())
        self.stdout.write(self.style.SUCCESS(f"Restored the backup of {manifest.get('created_at')} ({counts})."))
