"""What events tells the layers above it. Sent inside the transaction that verified; receivers only
enqueue work after commit (points awards), so nothing above events runs in events' transaction."""

from django.dispatch import Signal

# Sent with `participation_id` when an organiser verified attendance.
participation_verified = Signal()
