#!/usr/bin/env bash
# Run the UCI contract suite (tests/platform/test_uci.py) against real libuci through pyuci.
#
# libuci and pyuci are not packaged for Debian or PyPI, so this builds libubox, libuci and
# pyuci (OpenWrt's python3-uci) from source into $WORK (default .pyuci/) and runs the suite in
# a venv that has them. Needs cmake, gcc, pkg-config, libjson-c-dev and the python3 headers
# (`apt install cmake pkg-config libjson-c-dev python3-dev`), and either network access to
# clone the three projects or checkouts given as LIBUBOX_SRC, UCI_SRC and PYUCI_SRC.
#
# `make test` does not run this (CI has no libuci); run it after changing platform/uci.py:
#     make test-pyuci
set -euo pipefail
cd "$(dirname "$0")/../.."

WORK=${WORK:-$PWD/.pyuci}
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
fetch pyuci https://gitlab.nic.cz/turris/pyuci.git "${PYUCI_SRC:-}"

if [ ! -e "$PREFIX/lib/libuci.so" ]; then
    cmake -S "$WORK/libubox" -B "$WORK/libubox/build" -DBUILD_LUA=OFF -DBUILD_EXAMPLES=OFF \
        -DCMAKE_INSTALL_PREFIX="$PREFIX" >/dev/null
    make -s -C "$WORK/libubox/build" -j"$(nproc)" install >/dev/null
    cmake -S "$WORK/uci" -B "$WORK/uci/build" -DBUILD_LUA=OFF -DCMAKE_INSTALL_PREFIX="$PREFIX" \
        -DCMAKE_PREFIX_PATH="$PREFIX" >/dev/null
    make -s -C "$WORK/uci/build" -j"$(nproc)" install >/dev/null
fi

if [ ! -x "$WORK/venv/bin/python" ]; then
    python3 -m venv "$WORK/venv"
    "$WORK/venv/bin/pip" install -q setuptools wheel pytest hypothesis click
fi
if ! LD_LIBRARY_PATH=$PREFIX/lib "$WORK/venv/bin/python" -c "import uci" 2>/dev/null; then
    (cd "$WORK/pyuci" && CFLAGS="-I$PREFIX/include" LDFLAGS="-L$PREFIX/lib" \
        "$WORK/venv/bin/pip" install -q --no-build-isolation .)
fi

LD_LIBRARY_PATH=$PREFIX/lib "$WORK/venv/bin/python" -m pytest -q -p no:cacheprovider \
    tests/platform/test_uci.py "$@"
