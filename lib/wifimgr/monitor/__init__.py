"""The resident monitor: one sampler for everybody (docs/monitor.md).

``wifimgr monitor`` (procd) samples the router through the live reader every ``interval``
seconds, keeps bounded history in RAM, records the event timeline, exports Prometheus metrics
and runs the apply health check; ``history``, ``events`` and ``metrics`` serve them
(:mod:`.methods`). Other code records an event with :func:`wifimgr.observe.events.record`.
"""
