"""The medborgarlöfte domain: aggregates, their events and every single-aggregate rule.

Pure: no I/O beyond reading the packaged reference data, no clock reads (today's
date always comes in as an argument), no framework imports but `eventsourcing`'s.
"""
