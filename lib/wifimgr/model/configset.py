"""A set of UCI packages judged and written together (wireless plus the network side).

Writes that touch several configs (a relayd bridge: wireless + network + dhcp; a repeater:
wireless + network + firewall) are judged as one proposed configuration and committed together.
"""

from __future__ import annotations

from ..core.record import field, record
from ..platform.ucitext import Package

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from ..platform.uci import UciStore

#: the configs a wireless change may touch
CONFIGS = ("wireless", "network", "dhcp", "firewall")


@record
class ConfigSet:
    packages: dict[str, Package] = field(default_factory=dict)

    @classmethod
    def load(cls, store: UciStore, names: Iterable[str] = CONFIGS) -> ConfigSet:
        out = cls()
        for name in names:
            if store.exists(name):
                out.packages[name] = store.load(name)
            else:
                out.packages[name] = Package(name)
        return out

    @classmethod
    def of(cls, *packages: Package) -> ConfigSet:
        return cls({p.name: p for p in packages})

    def __getitem__(self, name: str) -> Package:
        if name not in self.packages:
            self.packages[name] = Package(name)
        return self.packages[name]

    def get(self, name: str) -> Package | None:
        return self.packages.get(name)

    def __iter__(self) -> Iterator[Package]:
        return iter(self.packages.values())

    def copy(self) -> ConfigSet:
        return ConfigSet({k: v.copy() for k, v in self.packages.items()})

    def changed(self, other: ConfigSet) -> list[str]:
        """Names of the packages whose content differs from ``other``."""
        names = set(self.packages) | set(other.packages)
        return sorted(n for n in names
                      if (self.packages.get(n) or Package(n)).to_text()
                      != (other.packages.get(n) or Package(n)).to_text())
