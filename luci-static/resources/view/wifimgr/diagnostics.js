'use strict';
'require view';
'require ui';
'require dom';
'require wifimgr.common as wm';

/* luci-app-wifimgr: Diagnostics — firmware, temperatures, per-radio utilisation / noise / TX,
 * MLO internals, nearby networks, the system log, and the wireless backup / restore. */

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
		var tx = Object.keys(d.txpower_info || {}).map(function(k) {
			var v = d.txpower_info[k];
			return E('details', {}, [ E('summary', {}, [ k ]), E('pre', {}, [ v ? v.raw : _('not available on this system') ]) ]);
		});
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
			this.section(_('Radios'), [ radios ], 'wm-diag-radios'),
			this.section(_('MLO / WiFi 7'), mlo.length ? mlo : [ E('p', {}, _('No MLO network configured.')) ], 'wm-diag-mlo'),
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
