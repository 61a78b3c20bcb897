# luci-app-wifimgr
#
# Two Makefiles in one:
#  * inside an OpenWrt / MTK SDK buildroot (TOPDIR set) it is the package recipe (luci.mk);
#  * anywhere else it is the developer Makefile: run, test, lint, bench, install.

PKG_NAME:=luci-app-wifimgr

ifneq ($(TOPDIR),)
# --------------------------------------------------------------------------- OpenWrt recipe
include $(TOPDIR)/rules.mk

PKG_VERSION:=$(shell sed -n 's/^__version__ = "\(.*\)"/\1/p' $(CURDIR)/lib/wifimgr/__init__.py)
PKG_RELEASE:=1
PKG_LICENSE:=MIT
PKG_MAINTAINER:=luci-app-wifimgr developers

LUCI_TITLE:=WiFi 7 / MLO manager for the BPI-R4 (MT7996, MTK SDK)
LUCI_DESCRIPTION:=Networks, radios, clients, diagnostics, MLO link policy and setup wizards \
  for the MT7996 with a safety module that blocks configurations known to crash the chip.
LUCI_DEPENDS:=+luci-base +rpcd +python3-light +python3-ubus +python3-uci +python3-click \
  +iw +hostapd-utils +wpa-cli
LUCI_PKGARCH:=all

include $(TOPDIR)/feeds/luci/luci.mk

# call BuildPackage - OpenWrt buildroot signature

else
# --------------------------------------------------------------------------- developer targets
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SIM_DIR ?= .sim
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: all run test lint bench clean venv

all: test

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

venv: $(BIN)/.installed

run: $(BIN)/.installed
	WIFIMGR_SIM=$(abspath $(SIM_DIR)) $(BIN)/python -m wifimgr.devserver --host $(HOST) --port $(PORT)

test: $(BIN)/.installed
	$(BIN)/ruff check lib tests rpcd/wifimgr
	$(BIN)/python -m pytest -q

lint: $(BIN)/.installed
	$(BIN)/ruff check lib tests rpcd/wifimgr
	$(BIN)/ruff format --check lib tests

bench: $(BIN)/.installed
	$(BIN)/python -m wifimgr.bench

clean:
	rm -rf $(VENV) $(SIM_DIR) .pytest_cache build *.egg-info lib/*.egg-info

endif
