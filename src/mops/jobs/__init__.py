"""The unattended doors of mops: the nightly pipeline and its run journal.

Like the command line, these modules only call the public API (and the renderers beside the
results); they add ordering, locking, journaling and exit codes, not logic of their own.
"""
