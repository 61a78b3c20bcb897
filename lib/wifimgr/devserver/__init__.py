"""Dev server for ``make run``: the twin behind uhttpd's ``/ubus`` JSON-RPC and LuCI's ubus
proxy, sessions and ACLs like rpcd, the ``wifimgr`` object dispatched through the rpcd plugin
exactly as rpcd does, and a small LuCI-compatible shim so the views run unchanged."""
