#!/usr/bin/env bash
# Run the platform contract suites against the router's real software: tests/ports/
# test_uci.py through libuci + pyuci, test_uci_vs_libuci.py (random packages through the uci
# CLI, both directions), test_ubus.py through ubusd, the ubus CLI and
# python-ubus, test_rpcd.py with the plugin under the real rpcd, and tests/devserver/
# test_against_uhttpd.py: the dev server's /ubus against uhttpd + rpcd, request by request.
#
# None of them is packaged for Debian or PyPI, so this builds libubox, libuci, ubus, rpcd,
# uhttpd, pyuci (OpenWrt python3-uci) and python-ubus (python3-ubus) from source into $WORK (default
# .native/) and runs the suites in a venv that has them. Needs cmake, gcc, pkg-config,
# libjson-c-dev and the python3 headers (`apt install cmake pkg-config libjson-c-dev
# python3-dev`), and network access to clone the projects or checkouts given as LIBUBOX_SRC,
# UCI_SRC, UBUS_SRC, RPCD_SRC, UHTTPD_SRC, PYUCI_SRC and PYUBUS_SRC.
#
# `make test` does not run this (CI has none of them); run it after changing platform/uci.py,
# platform/ucitext.py or platform/ubus.py:
#     make test-native
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=${WORK:-$PWD/.native}
PREFIX=$WORK/prefix
mkdir -p "$WORK"

fetch() {   # name, url, override
    local dir=$WORK/$1
    if [ -n "${3:-}" ]; then
        rm -rf "$dir" && cp -r "$3" "$dir" && rm -rf "$dir/build"
    elif [ ! -d "$dir" ]; then
        git clone -q --depth 1 "$2" "$dir"
    fi
}
fetch libubox https://git.openwrt.org/project/libubox.git "${LIBUBOX_SRC:-}"
fetch uci https://git.openwrt.org/project/uci.git "${UCI_SRC:-}"
fetch ubus https://git.openwrt.org/project/ubus.git "${UBUS_SRC:-}"
fetch rpcd https://git.openwrt.org/project/rpcd.git "${RPCD_SRC:-}"
fetch uhttpd https://git.openwrt.org/project/uhttpd.git "${UHTTPD_SRC:-}"
fetch pyuci https://gitlab.nic.cz/turris/pyuci.git "${PYUCI_SRC:-}"
fetch python-ubus https://gitlab.nic.cz/turris/python-ubus.git "${PYUBUS_SRC:-}"

if [ ! -e "$PREFIX/lib/libuci.so" ]; then
    cmake -S "$WORK/libubox" -B "$WORK/libubox/build" -DBUILD_LUA=OFF -DBUILD_EXAMPLES=OFF \
        -DCMAKE_INSTALL_PREFIX="$PREFIX" >/dev/null
    make -s -C "$WORK/libubox/build" -j"$(nproc)" install >/dev/null
    cmake -S "$WORK/uci" -B "$WORK/uci/build" -DBUILD_LUA=OFF -DCMAKE_INSTALL_PREFIX="$PREFIX" \
        -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
    make -s -C "$WORK/uci/build" -j"$(nproc)" install >/dev/null
    cmake -S "$WORK/ubus" -B "$WORK/ubus/build" -DBUILD_LUA=OFF -DBUILD_EXAMPLES=OFF \
        -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
    make -s -C "$WORK/ubus/build" -j"$(nproc)" install >/dev/null
    cmake -S "$WORK/rpcd" -B "$WORK/rpcd/build" -DFILE_SUPPORT=OFF -DIWINFO_SUPPORT=OFF \
        -DRPCSYS_SUPPORT=OFF -DUCODE_SUPPORT=OFF -DCMAKE_INSTALL_PREFIX="$PREFIX" \
        -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
    make -s -C "$WORK/rpcd/build" -j"$(nproc)" install >/dev/null
    # uhttpd's -Werror trips over a newer gcc's stringop-overread warning in client.c
    cmake -S "$WORK/uhttpd" -B "$WORK/uhttpd/build" -DTLS_SUPPORT=OFF -DLUA_SUPPORT=OFF \
        -DUCODE_SUPPORT=OFF -DCMAKE_C_FLAGS=-Wno-error=stringop-overread \
        -DCMAKE_INSTALL_PREFIX="$PREFIX" -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
    make -s -C "$WORK/uhttpd/build" -j"$(nproc)" install >/dev/null
fi
# rpcd looks for exec plugins in <prefix>/libexec/rpcd and ACLs in <prefix>/share/rpcd/acl.d
# (compiled in): the plugin, its ACL and the unauthenticated group OpenWrt's rpcd ships
mkdir -p "$PREFIX/libexec/rpcd" "$PREFIX/share/rpcd/acl.d"
ln -sf "$PWD/rpcd/wifimgr" "$PREFIX/libexec/rpcd/wifimgr"
cp rpcd/acl.d/luci-app-wifimgr.json "$PREFIX/share/rpcd/acl.d/"
cat > "$PREFIX/share/rpcd/acl.d/unauthenticated.json" <<'EOF'
{
	"unauthenticated": {
		"description": "Access controls for unauthenticated requests",
		"read": {
			"ubus": {
				"session": [ "access", "login" ]
			}
		}
	}
}
EOF

if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install -q setuptools wheel pytest hypothesis click
fi
for mod in uci:pyuci ubus:python-ubus; do
    if ! LD_LIBRARY_PATH=$PREFIX/lib "$WORK/venv/bin/python" -c "import ${mod%%:*}" 2>/dev/null
    then
        (cd "$WORK/${mod#*:}" && CFLAGS="-I$PREFIX/include" LDFLAGS="-L$PREFIX/lib" \
            "$WORK/venv/bin/pip" install -q --no-build-isolation .)
    fi
done

PATH=$PREFIX/bin:$PREFIX/sbin:$PATH LD_LIBRARY_PATH=$PREFIX/lib \
    WIFIMGR_RPCD_PLUGIN_DIR=$PREFIX/libexec/rpcd WIFIMGR_RPCD_ACL_DIR=$PREFIX/share/rpcd/acl.d \
    "$WORK/venv/bin/python" -m pytest -q -p no:cacheprovider -rs \
    tests/ports/test_uci.py tests/ports/test_uci_vs_libuci.py tests/ports/test_ubus.py \
    tests/ports/test_rpcd.py tests/packaging/test_init_native.py \
    tests/devserver/test_against_uhttpd.py "$@"
