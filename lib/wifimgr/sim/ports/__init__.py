"""The twin behind the platform ports, one module per port.

Everything above the ports sees the same text and JSON as on a BPI-R4: ``iw``, ``hostapd_cli``,
``wpa_cli``, ``wifi``, ``reboot``, ``dmesg``, ``logread``, ``/etc/init.d/*``, ``ubus``;
``network.wireless``, ``hostapd.*``, ``iwinfo``, ``network.interface.*``, ``system``; debugfs,
hwmon, thermal zones, interface statistics, ``/proc/version``, ``/etc/board.json``.

:mod:`.view` is the one consistent look at the twin's state that every port answers from;
:mod:`.runner` the command runner (its tools in :mod:`.iw`, :mod:`.hostapd` and
:mod:`.services`), :mod:`.bus` ubus, :mod:`.listener` ``ubus listen``/``subscribe``, :mod:`.fs`
the files. :meth:`wifimgr.sim.twin.Twin.system` builds them; they never import the twin module
(they know it as :class:`.view.TwinAccess`), so the two do not go round.
"""
