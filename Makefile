# luci-app-wifimgr
#
# Two Makefiles in one:
#  * inside an OpenWrt / MTK SDK buildroot (TOPDIR set) it is the package recipe (luci.mk);
#  * anywhere else it is the developer Makefile: run, test, lint, bench, install.

PKG_NAME:=luci-app-wifimgr

# The one list of files → router paths (mode:source:destination), used by the OpenWrt recipe
# and by `make install DESTDIR=...`. Trees (views, the Python package) follow below.
WIFIMGR_FILES := \
	0755:rpcd/wifimgr:/usr/libexec/rpcd/wifimgr \
	0644:rpcd/acl.d/luci-app-wifimgr.json:/usr/share/rpcd/acl.d/luci-app-wifimgr.json \
	0644:luci-static/menu.d/luci-app-wifimgr.json:/usr/share/luci/menu.d/luci-app-wifimgr.json \
	0644:hotplug.d/net/10-wifimgr-txpower:/etc/hotplug.d/net/10-wifimgr-txpower \
	0644:hotplug.d/ieee80211/60-wifimgr-defaults:/etc/hotplug.d/ieee80211/60-wifimgr-defaults \
	0755:uci-defaults/40_luci-wifimgr:/etc/uci-defaults/40_luci-wifimgr \
	0755:init.d/wifimgr:/etc/init.d/wifimgr \
	0755:init.d/wifimgr-recover:/etc/init.d/wifimgr-recover \
	0755:init.d/wifimgr-monitor:/etc/init.d/wifimgr-monitor \
	0755:bin/wifimgr:/usr/bin/wifimgr \
	0644:root/lib/upgrade/keep.d/luci-app-wifimgr:/lib/upgrade/keep.d/luci-app-wifimgr

# $(1): destination root; $(2): python used to byte-compile the library
define WIFIMGR_INSTALL
	set -e; for spec in $(WIFIMGR_FILES); do \
		mode=$${spec%%:*}; rest=$${spec#*:}; src=$${rest%%:*}; dst=$${rest#*:}; \
		mkdir -p "$(1)$$(dirname $$dst)"; \
		cp "$(WIFIMGR_SRC)/$$src" "$(1)$$dst"; chmod "$$mode" "$(1)$$dst"; \
	done
	mkdir -p "$(1)/www/luci-static/resources"
	cp -R "$(WIFIMGR_SRC)/luci-static/resources/." "$(1)/www/luci-static/resources/"
	set -e; cd "$(WIFIMGR_SRC)/lib" && for f in $$(find wifimgr -name '*.py' \
			! -path 'wifimgr/devserver/*' ! -name bench.py); do \
		mkdir -p "$(1)/usr/lib/wifimgr/$$(dirname $$f)"; \
		cp "$$f" "$(1)/usr/lib/wifimgr/$$f"; chmod 0644 "$(1)/usr/lib/wifimgr/$$f"; \
	done
	$(2) -m compileall -q "$(1)/usr/lib/wifimgr"
endef

ifneq ($(TOPDIR),)
# --------------------------------------------------------------------------- OpenWrt recipe
include $(TOPDIR)/rules.mk

PKG_VERSION:=$(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' $(CURDIR)/lib/wifimgr/__init__.py)
PKG_RELEASE:=1
PKG_LICENSE:=MIT
PKG_MAINTAINER:=luci-app-wifimgr developers

LUCI_TITLE:=WiFi 7 / MLO manager for MT7996 / MT7992 routers (MTK SDK and OpenWrt 25.12)
LUCI_DESCRIPTION:=Networks, radios, clients, diagnostics, MLO link policy and setup wizards \
  for the MT7996 and MT7992 with a safety module that blocks configurations known to crash \
  the chip; features follow what the router's Wi-Fi stack can do.
# every name exists in the openwrt-25.12 feeds for the MTK SDK and for mainline alike, none is
# MTK-only; tests/packaging/test_depends.py keeps this list equal to its cited sources
LUCI_DEPENDS:=+luci-base +rpcd +rpcd-mod-iwinfo +python3-light +python3-ubus +python3-uci \
  +python3-click +iw +hostapd-utils +wpa-cli
LUCI_PKGARCH:=all

WIFIMGR_SRC:=$(CURDIR)
# luci.mk names the translation packages luci-i18n-<basename>-<lang> after LUCI_NAME (by
# default the directory name): pin it, so po/<lang>/wifimgr.po always becomes
# luci-i18n-wifimgr-<lang> with /usr/lib/lua/luci/i18n/wifimgr.<lang>.lmo (po2lmo)
LUCI_NAME:=$(PKG_NAME)

include $(TOPDIR)/feeds/luci/luci.mk

# luci.mk installs htdocs/ and root/; this package keeps its sources in the layout of the design
# card, so its install step is replaced by the shared file list (recipes expand late, so this
# definition is the one BuildPackage's rule uses).
define Package/$(PKG_NAME)/install
	$(call WIFIMGR_INSTALL,$(1),$(HOST_PYTHON3_BIN))
endef

# call BuildPackage - OpenWrt buildroot signature

else
# --------------------------------------------------------------------------- developer targets
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SIM_DIR ?= .sim
HOST ?= 127.0.0.1
PORT ?= 8080

WIFIMGR_SRC := $(CURDIR)
DESTDIR ?= $(CURDIR)/build/root

.PHONY: all run test test-native test-luci lint bench clean venv install i18n

all: test

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

# make run [PROFILE=bpi-r4-mainline]: the twin of that profile (`wifimgr sim profiles`); a twin
# of another profile in $(SIM_DIR) is reset to it, without PROFILE the twin is kept as it is
run: $(BIN)/.installed
	WIFIMGR_SIM=$(abspath $(SIM_DIR)) $(BIN)/python -m wifimgr.devserver --host $(HOST) \
		--port $(PORT) $(if $(PROFILE),--profile $(PROFILE))

test: $(BIN)/.installed
	$(BIN)/ruff check lib tests rpcd/wifimgr
	$(BIN)/python -m pytest -q

# the UCI and ubus contract suites against real libuci/pyuci and ubusd/python-ubus, built
# from source (not part of `test`: CI has none of them)
test-native:
	tests/ports/native_contract.sh

# the whole browser suite inside the real LuCI runtime (luci.js, ui.js, rpc.js, cbi.js, form.js)
# and the bootstrap theme, served from an openwrt/luci checkout (never committed here):
#   make test-luci LUCI_SRC=../luci
test-luci: $(BIN)/.installed
	@test -n "$(LUCI_SRC)" || { echo "usage: make test-luci LUCI_SRC=<openwrt/luci checkout>"; exit 2; }
	@test -f "$(LUCI_SRC)/modules/luci-base/htdocs/luci-static/resources/luci.js" || \
		{ echo "$(LUCI_SRC) is not an openwrt/luci checkout"; exit 2; }
	@# the recipe's translation step as luci.mk runs it: po2lmo (built from the checkout)
	set -e; tmp=$$(mktemp -d); cp -R "$(LUCI_SRC)/modules/luci-base/src/." "$$tmp/"; \
		$(MAKE) -s -C "$$tmp" po2lmo >/dev/null; \
		for po in po/*/wifimgr.po; do lang=$$(basename $$(dirname $$po)); \
			"$$tmp/po2lmo" "$$po" "$$tmp/wifimgr.$$lang.lmo"; \
			echo "po2lmo $$po -> wifimgr.$$lang.lmo ($$(wc -c < $$tmp/wifimgr.$$lang.lmo) bytes)"; \
		done; rm -rf "$$tmp"
	WIFIMGR_LUCI_SRC=$(abspath $(LUCI_SRC)) WIFIMGR_BROWSER_REQUIRED=1 \
		$(BIN)/python -m pytest -q tests/browser

# po/templates/wifimgr.pot the way LuCI makes it (build/i18n-scan.pl: xgettext over the views,
# menu.d and acl.d), then every po/<lang>/wifimgr.po merged with it (as build/i18n-update.pl)
i18n:
	@test -n "$(LUCI_SRC)" || { echo "usage: make i18n LUCI_SRC=<openwrt/luci checkout>"; exit 2; }
	mkdir -p po/templates
	perl $(LUCI_SRC)/build/i18n-scan.pl luci-static rpcd/acl.d > po/templates/wifimgr.pot
	set -e; for po in po/*/wifimgr.po; do [ -f "$$po" ] || continue; \
		msgmerge -U -N --no-wrap "$$po" po/templates/wifimgr.pot; rm -f "$$po~"; done

lint: $(BIN)/.installed
	$(BIN)/ruff check lib tests rpcd/wifimgr
	$(BIN)/ruff format --check lib tests

bench: $(BIN)/.installed
	$(BIN)/python -m wifimgr.surface.bench

install: $(BIN)/.installed
	$(call WIFIMGR_INSTALL,$(DESTDIR),$(abspath $(BIN))/python)

clean:
	rm -rf $(VENV) $(SIM_DIR) .pytest_cache build *.egg-info lib/*.egg-info

endif
