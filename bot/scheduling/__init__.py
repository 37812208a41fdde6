"""The JobQueue glue (DESIGN section 5): poll message edits, poll closing, reminders.

The database is the truth; jobs are only the alarm clocks, rebuilt from it on start, and a
periodic sweep catches whatever a missed alarm left behind.
"""
