"""Whole interview loops: named sequences of rounds run across sittings, and the debrief at the end.

catalog: the loops and their stages; progress: where a candidate is, on disk; debrief: the committee read;
sittings: all of it over the services. Import the module you need: `interviewer loop --help` loads only the
catalog.
"""
