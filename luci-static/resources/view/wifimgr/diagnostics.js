'use strict';
'require view';
'require ui';
'require dom';
'require wifimgr.common as wm';

/* luci-app-wifimgr: Diagnostics — firmware, temperatures, per-radio utilisation / noise / TX,
 * MLO internals, nearby networks, the system log, and the wireless backup / restore. */

/* the capability map's fields (model/capabilities.py CAPABILITY_FIELDS), as the owner reads them */
var CAPABILITY = {
	attlm: _('A-TTLM: advertised TID-to-link mapping'),
	neg_ttlm: _('Neg-TTLM: negotiated TID-to-link mapping'),
	twt: _('Broadcast / restricted TWT'),
	per_link_txpower: _('TX power read per MLO link'),
	sku_idx: _('sku_idx and eFuse TX power tables'),
	tmac0_coldboot_bug: _('Cold-boot TMAC=0 TX power bug'),
	band_6g: _('6 GHz band'),
	eht_320: _('320 MHz channels'),
	mt76_mlo_client_crash: _('mt76 MLO client crash (openwrt/mt76#1109)')
};
/* which evidence line decided a capability the detector reads from a shared input */
var EVIDENCE_OF = { per_link_txpower: 'debugfs', sku_idx: 'debugfs', tmac0_coldboot_bug: 'debugfs',
                    band_6g: 'phy', eht_320: 'phy', mt76_mlo_client_crash: 'mt76' };
var STACK = { 'mtk-sdk': _('MediaTek SDK (vendor mt76 and hostapd)'), 'upstream': _('upstream (mainline mt76 and hostapd)'),
              'unknown': _('not recognised') };

function cell(v, cls) { return E('div', { 'class': 'td' + (cls ? ' ' + cls : '') }, [ wm.text(v) ]); }
function head(labels) { return E('div', { 'class': 'tr' }, labels.map(function(h) { return E('div', { 'class': 'th' }, [ wm.text(h) ]); })); }

function download(name, text) {
	var a = E('a', { 'href': URL.createObjectURL(new Blob([ text ], { type: 'text/plain' })), 'download': name });
	document.body.appendChild(a); a.click(); document.body.removeChild(a);
}

return view.extend({
	load: function() {
		return Promise.all([ wm.loadHeader(), wm.call('diagnostics'), wm.call('log', { lines: 100 }) ]);
	},

	section: function(title, nodes, id) {
		return E('div', { 'class': 'cbi-section', 'id': id || null }, [ E('h3', {}, [ title ]) ].concat(nodes));
	},

	/* the capability map: what this router's WiFi stack was found to do, and from what */
	platform: function(p) {
		if (!p) return E('p', { 'class': 'wm-note' }, [ wm.text(_('The router did not report its platform.')) ]);
		var caps = p.capabilities || {}, ev = p.evidence || {}, feats = p.features || {};
		var yes = function(v) { return v === true ? [ _('yes'), 'wm-cap-yes' ] : v === false ? [ _('no'), 'wm-cap-no' ] : [ _('unknown'), 'wm-cap-unknown' ]; };
		var name = function(n) { return String(p.mld_auto_pattern || '{mode}-mld{n}').replace('{mode}', 'ap').replace('{n}', String(n)); };
		var mld = name(0), mld1 = name(1);
		return [
			E('dl', { 'class': 'wm-kv', 'id': 'wm-platform-facts' }, [
				E('dt', {}, [ wm.text(_('Router')) ]), E('dd', { 'id': 'wm-platform-label' }, [ wm.text(p.label) ]),
				E('dt', {}, [ wm.text(_('WiFi stack')) ]), E('dd', { 'id': 'wm-platform-stack' }, [ wm.text(STACK[p.stack] || p.stack) ]),
				E('dt', {}, [ wm.text(_('Board')) ]), E('dd', {}, [ wm.text([ p.board_name, p.target ].filter(function(x) { return x; }).join(' · ') || '—') ]),
				E('dt', {}, [ wm.text(_('Bands')) ]), E('dd', {}, (p.bands || []).length ? p.bands.map(function(b) { return wm.bandPill(b); }) : [ wm.text('—') ]),
				E('dt', {}, [ wm.text(_('MLD naming')) ]), E('dd', { 'id': 'wm-platform-mld' }, [ wm.text(p.mld_factory_ifname
					? _('%s in the factory configuration; netifd names an MLO AP without option ifname %s, %s, …').format(p.mld_factory_ifname, mld, mld1)
					: _('netifd names an MLO AP without option ifname %s, %s, …').format(mld, mld1)) ])
			]),
			E('div', { 'class': 'table wm-capabilities', 'id': 'wm-platform-caps' }, [ head([ _('Capability'), _('Found'), _('Evidence') ]) ]
				.concat(Object.keys(caps).map(function(c) {
					var y = yes(caps[c]);
					return E('div', { 'class': 'tr', 'data-capability': c }, [ cell(CAPABILITY[c] || c), cell(y[0], y[1]),
						cell(ev[c] || ev[EVIDENCE_OF[c]] || '—', 'wm-evidence') ]);
				}))),
			E('div', { 'class': 'table wm-features', 'id': 'wm-platform-features' }, [ head([ _('Feature'), _('Here') ]) ]
				.concat(Object.keys(feats).map(function(n) {
					var f = feats[n] || {};
					return E('div', { 'class': 'tr', 'data-feature': n, 'data-available': f.available ? '1' : '0' }, [ cell(f.title || n),
						f.available ? cell(_('available'), 'wm-feature-yes') : cell(_('not available: %s').format(f.reason || '?'), 'wm-feature-no') ]);
				})))
		];
	},

	backup: function() {
		return wm.call('backup').then(function(b) {
			if (!b.config) return ui.addNotification(null, E('p', {}, [ wm.errorText(b) ]), 'error');
			download(b.filename, b.config);
		});
	},

	restore: function(ev) {
		var input = document.getElementById('wm-restore-file');
		var file = input && input.files && input.files[0];
		if (!file) return ui.addNotification(null, E('p', {}, _('Choose a backup file first.')), 'warning');
		return file.text().then(function(text) { return wm.submit('restore', { config: text }, { title: _('Restore %s?').format(file.name) }); });
	},

	logAll: function() {
		return wm.call('log', { lines: 5000, filter: 'all' }).then(function(r) { download('wifimgr-syslog.txt', (r.lines || []).join('\n') + '\n'); });
	},

	scanAll: function() {
		var out = document.getElementById('wm-diag-scan');
		dom.content(out, E('span', { 'class': 'spinning' }, _('Scanning all bands…')));
		return wm.call('scan').then(function(r) {
			dom.content(out, E('div', { 'class': 'table' }, [ E('div', { 'class': 'tr' }, [ _('Signal'), _('Band'), 'SSID', _('Ch'), _('Width'), _('Security') ].map(function(h) { return E('div', { 'class': 'th' }, [ h ]); })) ]
				.concat((r.results || []).map(function(x) {
					return E('div', { 'class': 'tr' }, [ x.signal_dbm + ' dBm', wm.bandPill(x.band), x.hidden ? E('em', {}, _('hidden')) : x.ssid, x.channel,
						x.width_mhz + ' MHz', x.security_label ].map(function(v) { return E('div', { 'class': 'td' }, [ v ]); }));
				}))));
		});
	},

	render: function(data) {
		var d = data[1], log = data[2];
		wm.startPoll(null);     /* the header and its banners only */
		var t = d.temperatures || {};
		var temps = [ E('span', { 'class': 'wm-' + (t.cpu_class || 'none') }, [ _('CPU %s °C').format(t.cpu_c != null ? t.cpu_c : '—') ]) ]
			.concat(Object.keys(t.wifi || {}).map(function(k) { return E('span', { 'style': 'margin-left:14px' }, [ '%s %s °C'.format(k, t.wifi[k]) ]); }));
		var radios = E('div', { 'class': 'table' }, [ E('div', { 'class': 'tr' }, [ _('Radio'), _('Band'), _('Channel'), _('Utilisation'), _('Noise'), _('TX power'), _('Clients'), _('Temp') ].map(function(h) { return E('div', { 'class': 'th' }, [ h ]); })) ]
			.concat((d.radios || []).map(function(r) {
				return E('div', { 'class': 'tr' }, [ r.radio, wm.bandPill(r.band), r.channel || '—',
					r.util_pct != null ? E('span', { 'class': 'wm-' + r.util_class }, [ r.util_pct + ' %' ]) : E('span', { 'title': r.util_note || '' }, 'n/a'),
					r.noise_dbm != null ? r.noise_dbm + ' dBm' : '—', (r.txpower_dbm != null ? r.txpower_dbm + ' dBm' : '—') + (r.eeprom_max_dbm != null ? ' ' + _('(EEPROM max %d dBm)').format(r.eeprom_max_dbm) : ''), r.clients,
					r.temperature_c != null ? E('span', { 'class': 'wm-' + r.temperature_class }, [ r.temperature_c + ' °C' ]) : '—' ].map(function(v) { return E('div', { 'class': 'td' }, [ v ]); }));
			})));
		var mlo = (d.mlo || []).map(function(m) {
			return E('div', {}, [ E('h4', { 'class': 'wm-ssid' }, [ '%s (%s, %s)'.format(m.ssid, m.mode.toUpperCase(), m.ifname || _('not running')) ]),
				E('dl', { 'class': 'wm-kv' }, [ E('dt', {}, _('MLD address')), E('dd', {}, [ m.mld_addr || '—' ]),
					E('dt', {}, _('Type')), E('dd', {}, [ m.ap_mld_type || '—' ]), E('dt', {}, 'EML'), E('dd', {}, [ m.eml_disabled ? _('disabled') : _('enabled') ]) ]),
				E('pre', {}, [ (m.links || []).map(function(l) { return 'link%d  %s MHz  ch %s  %s MHz  %s dBm  %s'.format(l.link_id, l.freq_mhz, l.channel, l.width_mhz, l.txpower_dbm, l.addr); }).join('\n') ]) ]);
		});
		var tx = Object.keys(d.txpower_info || {}).filter(function(k) { return d.txpower_info[k]; }).map(function(k) {
			return E('details', {}, [ E('summary', {}, [ k ]), E('pre', {}, [ d.txpower_info[k].raw ]) ]);
		});
		if (!tx.length)
			tx = [ E('p', { 'class': 'wm-note', 'id': 'wm-no-txpower-info' }, _('This driver has no txpower_info files (they come with the MediaTek SDK mt76).')) ];
		return E('div', {}, [
			wm.renderHeader(data[0][0], data[0][1]),
			this.section(_('Firmware'), [
				E('pre', { 'id': 'wm-firmware' }, [ (d.firmware || []).map(function(f) { return '%s: %s (%s)'.format(f.component, f.version, f.build_time); }).join('\n') || d.firmware_text || _('unknown') ]),
				E('p', {}, temps),
				E('p', { 'class': 'wm-note' }, [ _('Kernel:'), ' ', d.kernel || '—', ' · ', _('Country:'), ' ', d.regdomain ? '%s (%s)'.format(d.regdomain.country, d.regdomain.dfs_region) : '—',
					' · ', _('SKU table:'), ' ', d.sku_active == null ? '—' : (d.sku_active ? _('active') : _('inactive')),
					d.eeprom_mode ? ' · EEPROM: ' + d.eeprom_mode : '' ]),
				d.eeprom_corrupted ? E('div', { 'class': 'alert-message warning', 'id': 'wm-diag-eeprom' }, [
					E('strong', {}, _('Zeroed EEPROM power table.')), ' ',
					_('The driver replaced this card\'s EEPROM by default values: 2.4/5 GHz TX power follows the generic table, not the card\'s calibration (BE14 cards then often stay at 6–7 dBm).'), ' ',
					_('Fix: install an image with the mt7996 EEPROM tx_power fix-up (openwrt/mt76 PR #954, OpenWrt 25.12.4 or later); see openwrt/openwrt#17489.'),
					(d.eeprom_evidence || []).length ? E('pre', {}, [ d.eeprom_evidence.join('\n') ]) : '' ]) : '',
				(d.kernel_oops || []).length ? E('div', { 'class': 'alert-message danger', 'id': 'wm-diag-oops' }, [
					E('strong', {}, _('Kernel crash (Oops) in the WiFi driver since boot.')), ' ',
					_('WiFi may be down or restart by itself. Download the full log below and report it with your image version.'),
					E('pre', {}, [ d.kernel_oops.join('\n') ]) ]) : '',
				(d.kernel_oops_pstore || []).length ? E('div', { 'class': 'alert-message danger', 'id': 'wm-diag-oops-pstore' }, [
					E('strong', {}, _('The kernel crashed (Oops) in the WiFi driver before the last reboot.')), ' ',
					_('The lines were kept in pstore. Download the full log below and report them with your image version.'),
					E('pre', {}, [ d.kernel_oops_pstore.join('\n') ]) ]) : ''
			], 'wm-diag-fw'),
			this.section(_('Platform'), this.platform(d.platform), 'wm-diag-platform'),
			this.section(_('Radios'), [ radios ], 'wm-diag-radios'),
			this.section(_('MLO / WiFi 7'), mlo.length ? mlo.concat([ wm.mldTxpowerNote() ]) : [ E('p', {}, _('No MLO network configured.')) ], 'wm-diag-mlo'),
			this.section(_('Wireless config'), [
				wm.writeControl(E('button', { 'class': 'btn cbi-button-action', 'id': 'wm-backup', 'click': ui.createHandlerFn(this, 'backup') }, _('Download backup'))), ' ',
				wm.writeControl(E('input', { 'type': 'file', 'id': 'wm-restore-file', 'accept': '.txt,.uci,text/plain' })), ' ',
				wm.writeControl(E('button', { 'class': 'btn', 'id': 'wm-restore', 'click': ui.createHandlerFn(this, 'restore') }, _('Upload & restore'))),
				E('p', { 'class': 'wm-note' }, _('Download a backup before a sysupgrade. A restore is checked by the safety module like any change.'))
			], 'wm-diag-backup'),
			this.section(_('Nearby networks'), [ E('button', { 'class': 'btn cbi-button-action wm-read', 'id': 'wm-diag-scan-btn', 'click': ui.createHandlerFn(this, 'scanAll') }, _('Scan all bands')),
				E('div', { 'id': 'wm-diag-scan' }) ]),
			this.section(_('TX power info (debugfs)'), tx),
			this.section(_('System log'), [ E('pre', { 'class': 'wm-log', 'id': 'wm-log' }, [ (log.lines || []).join('\n') ]),
				E('button', { 'class': 'btn wm-read', 'id': 'wm-log-download', 'click': ui.createHandlerFn(this, 'logAll') }, _('Download full log')) ])
		]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
