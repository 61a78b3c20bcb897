"""MLO link steering (docs/steering.md).

* :mod:`.model`    — the policy's own input/output dataclasses (samples, actions, decisions) and
  their JSON form (the trace format).
* :mod:`.metrics`  — score, RSSI validity, retry % and busy % from counter deltas.
* :mod:`.classify` — what kind of MLD a station is and how it may be steered.
* :mod:`.tidmap`   — link masks by band and the Neg-TTLM map per access category.
* :mod:`.policy`   — ``step(config, state, sample) -> Decision``: pure and deterministic.
* :mod:`.config`   — the ``steering`` section of ``/etc/config/wifimgr``.
* :mod:`.replay`, :mod:`.cli` — ``wifimgr steer replay TRACE``.
* :mod:`.methods`  — the API handlers ``linkpolicy`` and ``steering_set``.

The daemon is meant to be a thin loop: gather a :class:`~.model.Sample` → :func:`.policy.step`
→ run ``action.commands()`` through hostapd_cli → put the replies into the next sample.
"""
