"""Client host names as LuCI's host hints find them (rpcd-mod-luci luci.c): static leases of
`dhcp` (`config host`), dnsmasq's lease file(s) named by `dhcp` (`leasefile` of each `dnsmasq`
section, /tmp/dhcp.leases when none names one), then /etc/ethers — through the ports, on the
twin (whose lease file lists the stations that asked DHCP for a name)."""

from __future__ import annotations

import pytest

from wifimgr.clients import stations as cl
from wifimgr.host import system as system_root
from wifimgr.surface.api import dispatch

# dnsmasq's lease file (lease.c lease_update_file): "<expiry> <mac> <ip> <name|*> <clid|*>",
# then after a "duid <server duid>" line the IPv6 leases "<expiry> <iaid> <ip6> <name|*> <duid>"
LEASES = """\
1767225600 3c:22:fb:12:34:56 192.168.1.181 MacBook-Air 01:3c:22:fb:12:34:56
1767225601 a4:83:e7:01:02:03 192.168.1.122 * 01:a4:83:e7:01:02:03
1767225602 * 192.168.1.150 printer 01:b8:27:eb:aa:bb:cc
duid 00:01:00:01:2c:7a:4b:1d:94:83:c4:00:11:22
1767225603 64230567 fd12:3456::1c2 MacBook-Air 00:01:00:01:2a:bb:cc:dd:3c:22:fb:12:34:56
"""
ETHERS = """\
# static names
3c:22:fb:12:34:56 ignored-when-a-lease-names-it
0:11:22:3:4:5 nas
a4:83:e7:01:02:03 192.168.1.122
"""


def test_parse_dnsmasq_leases():
    assert cl.parse_dnsmasq_leases(LEASES) == {
        "3c:22:fb:12:34:56": "MacBook-Air",
        "b8:27:eb:aa:bb:cc": "printer",           # no MAC field: the client id (01:<mac>)
    }


def test_parse_ethers():
    assert cl.parse_ethers(ETHERS) == {"3c:22:fb:12:34:56": "ignored-when-a-lease-names-it",
                                       "00:11:22:03:04:05": "nas"}   # an IPv4 is no name


@pytest.fixture
def twin(tmp_path, monkeypatch):
    from wifimgr.sim import open_twin

    monkeypatch.setenv("WIFIMGR_SIM", str(tmp_path / "twin"))
    system_root.set_system(None)
    t = open_twin(str(tmp_path / "twin"))
    t.freeze()
    t.advance(150)
    yield t
    system_root.set_system(None)


def names():
    return {c["mac"]: c["hostname"] for c in dispatch("clients", {})["clients"]}


def test_clients_name_stations_from_the_twin_lease_file(twin):
    assert set(names().values()) == {None}                 # the demo clients ask for none
    twin.add_station(mac="02:00:00:00:00:09", kind="legacy", hostname="phone-of-ana")
    got = names()
    assert got["02:00:00:00:00:09"] == "phone-of-ana"
    lease = twin.system().fs.read_text("/tmp/dhcp.leases")
    assert " 02:00:00:00:00:09 192.168.1." in lease and " phone-of-ana 01:02:00:00:00:00:09" \
        in lease
    # the Link Policy tab lists the MLO clients through the same reader
    twin.add_station(mac="02:00:00:00:00:0a", kind="emlsr", hostname="tablet")
    lp = dispatch("linkpolicy", {})
    assert {c["mac"]: c["hostname"] for c in lp["clients"]}["02:00:00:00:00:0a"] == "tablet"


def test_the_lease_file_is_where_dhcp_says_and_ethers_and_static_leases_count(twin):
    w = twin.uci.load("dhcp")
    w.of_type("dnsmasq")[0].set("leasefile", "/tmp/leases.other")
    host = w.add("host")
    host.set("mac", "3e:35:54:dc:99:02")
    host.set("name", "r4-sta")
    twin.uci.commit(w)
    twin.add_station(mac="02:00:00:00:00:09", kind="legacy", hostname="phone-of-ana")
    sysm = twin.system()
    assert sysm.fs.read_text("/tmp/dhcp.leases") is None
    assert "phone-of-ana" in sysm.fs.read_text("/tmp/leases.other")
    with open(f"{twin.dir}/etc/ethers", "w") as fh:
        fh.write("a0:88:69:12:34:56 laptop\n02:00:00:00:00:09 not-this-one\n")
    got = names()
    assert got["3e:35:54:dc:99:02"] == "r4-sta"            # static lease
    assert got["a0:88:69:12:34:56"] == "laptop"            # /etc/ethers
    assert got["02:00:00:00:00:09"] == "phone-of-ana"      # the lease before /etc/ethers


def test_a_broken_dhcp_config_leaves_the_clients_list_working(twin):
    with open(f"{twin.dir}/etc/config/dhcp", "w") as fh:
        fh.write("config dnsmasq\n\toption leasefile '/tmp/dhcp.leases\n")   # unterminated
    assert dispatch("clients", {})["summary"]["total"] == 3


def test_the_sim_cli_adds_a_named_station_and_a_neighbour(twin):
    from click.testing import CliRunner

    from wifimgr.sim.cli import sim

    r = CliRunner().invoke(sim, ["add-station", "--mac", "02:00:00:00:00:0b", "--kind", "legacy",
                                 "--hostname", "<b>x</b>"])
    assert r.exit_code == 0, r.output
    assert names()["02:00:00:00:00:0b"] == "<b>x</b>"
    r = CliRunner().invoke(sim, ["add-station", "--mac", "02:00:00:00:00:0c", "--hostname",
                                 "two words"])
    assert r.exit_code != 0 and "--hostname" in r.output
    r = CliRunner().invoke(sim, ["add-neighbour", "--ssid", "<img src=x onerror=1>",
                                 "--band", "5g"])
    assert r.exit_code == 0, r.output
    assert "<img src=x onerror=1>" in [x["ssid"] for x in dispatch("scan", {})["results"]]
    r = CliRunner().invoke(sim, ["add-neighbour", "--ssid", "x" * 33, "--band", "5g"])
    assert r.exit_code != 0 and "32 bytes" in r.output
