'use strict';
'require view';
'require ui';
'require dom';
'require wifimgr.common as wm';
'require wifimgr.wizards as wizards';

/* luci-app-wifimgr: Networks — every wifi-iface with live status, expandable details, inline
 * edit and remove, and the setup wizards. */

var KIND = { 'mlo-ap': _('MLO AP'), 'mlo-sta': _('MLO STA'), 'ap': _('AP'), 'sta': _('STA'),
             'wds-sta': _('WDS'), 'relay-sta': _('relayd'), 'repeater-sta': _('repeater uplink'),
             'repeater-ap': _('repeater AP') };

return view.extend({
	expanded: {},
	editing: null,

	load: function() {
		return Promise.all([ wm.loadHeader(), wm.call('networks') ]);
	},

	kv: function(pairs) {
		var dl = E('dl', { 'class': 'wm-kv' });
		pairs.forEach(function(p) {
			if (p[1] === undefined || p[1] === null || p[1] === '') return;
			dl.appendChild(E('dt', {}, [ p[0] ]));
			dl.appendChild(E('dd', {}, [ p[1] ]));
		});
		return dl;
	},

	detail: function(n) {
		var nodes = [ this.kv([
			[ _('Section'), E('code', {}, [ n.section ]) ], [ _('Interface'), n.ifname || _('not running') ],
			[ _('Network'), n.network ], [ _('Radios'), (n.radios || []).join(', ') ],
			[ _('Hidden'), n.hidden ? _('yes') : null ], [ _('Isolate clients'), n.isolate ? _('yes') : null ],
			[ _('Max clients'), n.maxassoc ], [ _('MLD address'), n.mld_addr ], [ _('MLD type'), n.ap_mld_type ]
		]) ];
		if (n.links && n.links.length) {
			nodes.push(E('div', { 'class': 'table wm-links' }, [
				E('div', { 'class': 'tr' }, [ _('Link'), _('Band'), _('Freq'), _('Ch'), _('Width'), _('TX'), _('Util'), _('DFS') ].map(function(h) { return E('div', { 'class': 'th' }, [ h ]); }))
			].concat(n.links.map(function(l) {
				return E('div', { 'class': 'tr' }, [ l.link_id, wm.bandPill(l.band), l.freq_mhz + ' MHz', l.channel,
					l.width_mhz + ' MHz', l.txpower_dbm != null ? l.txpower_dbm + ' dBm' : '—',
					l.chan_util_pct != null ? l.chan_util_pct + ' %' : 'n/a', l.dfs_active ? 'CAC' : '—' ].map(function(v) { return E('div', { 'class': 'td' }, [ v ]); }));
			}))));
			if (n.links.length > 1) nodes.push(wm.mldTxpowerNote());
		}
		if (n.connection) {
			var c = n.connection;
			nodes.push(E('h4', {}, _('Connection')));
			nodes.push(this.kv([ [ _('State'), c.wpa_state ], [ 'BSSID', c.bssid ], [ _('AP MLD'), c.ap_mld_addr ],
				[ _('IP address'), c.ip_address ], [ _('Signal'), c.signal_dbm != null ? wm.signalBars(c.signal_dbm, c.signal_class) : null ],
				[ _('TX / RX'), c.tx_bitrate ? wm.mbps(c.tx_bitrate) + ' / ' + wm.mbps(c.rx_bitrate) : null ],
				[ _('Links'), (c.links || []).map(function(l) { return 'L%d %s'.format(l.link_id, wm.bandLabel(l.band)); }).join(', ') ] ]));
		}
		nodes.push(E('details', {}, [ E('summary', {}, _('All options')),
			E('pre', { 'class': 'wm-options' }, [ Object.keys(n.options || {}).map(function(k) { return k + ' = ' + JSON.stringify(n.options[k]); }).join('\n') ]) ]));
		return nodes;
	},

	editForm: function(n) {
		var self = this;
		var encs = (n.bands || []).indexOf('6g') >= 0 ? [ 'sae', 'sae-ext', 'owe' ] : [ 'sae-mixed', 'sae', 'psk2', 'owe', 'none' ];
		if (encs.indexOf(n.encryption) < 0) encs.unshift(n.encryption);
		var form = E('form', { 'class': 'wm-form', 'submit': function(ev) { ev.preventDefault(); } }, [
			E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, 'SSID'),
				E('input', { 'type': 'text', 'name': 'ssid', 'value': n.ssid, 'maxlength': 32 }) ]),
			E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Security')),
				E('select', { 'name': 'encryption' }, encs.map(function(e) { return E('option', { 'value': e, 'selected': e == n.encryption ? 'selected' : null }, [ e ]); })) ]),
			E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Password')),
				E('input', { 'type': 'password', 'name': 'key', 'placeholder': n.has_key ? _('unchanged') : '' }) ]),
			n.mode == 'ap' ? E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Hidden SSID')),
				E('input', { 'type': 'checkbox', 'name': 'hidden', 'checked': n.hidden ? 'checked' : null }) ]) : '',
			n.mode == 'ap' ? E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Isolate clients')),
				E('input', { 'type': 'checkbox', 'name': 'isolate', 'checked': n.isolate ? 'checked' : null }) ]) : '',
			E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Disabled')),
				E('input', { 'type': 'checkbox', 'name': 'disabled', 'checked': n.disabled ? 'checked' : null }) ]),
			E('div', { 'class': 'wm-edit-errors' }),
			E('div', { 'class': 'right' }, [
				E('button', { 'class': 'btn wm-read', 'type': 'button', 'click': function() { self.editing = null; self.refresh(); } }, _('Cancel')), ' ',
				wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-positive', 'type': 'button', 'click': function() { return self.saveEdit(n, form); } }, _('Save')))
			])
		]);
		return form;
	},

	saveEdit: function(n, form) {
		var self = this, values = {};
		var ssid = form.querySelector('[name=ssid]').value;
		if (ssid !== n.ssid) values.ssid = ssid;
		var enc = form.querySelector('[name=encryption]').value;
		if (enc !== n.encryption) values.encryption = enc;
		var key = form.querySelector('[name=key]').value;
		if (key !== '') values.key = key;
		[ 'hidden', 'isolate', 'disabled' ].forEach(function(k) {
			var el = form.querySelector('[name=%s]'.format(k));
			if (el && el.checked != !!n[k]) values[k] = el.checked ? '1' : '0';
		});
		if (!Object.keys(values).length) { self.editing = null; return self.refresh(); }
		return wm.submit('network_set', { section: n.section, values: values },
		                 { target: form.querySelector('.wm-edit-errors') }).then(function(r) {
			if (r && r.ok) { self.editing = null; self.refresh(); }
		});
	},

	remove: function(n) {
		var self = this;
		return wm.submit('network_remove', { section: n.section },
			{ title: _('Remove %s?').format(n.ssid || n.section) }).then(function(r) { if (r && r.ok) self.refresh(); });
	},

	row: function(n) {
		var self = this, open = !!this.expanded[n.section];
		var rows = [ E('tr', { 'class': 'tr wm-net', 'data-section': n.section }, [
			E('td', { 'class': 'td' }, [ wm.statusDot(n.status), E('strong', { 'class': 'wm-ssid' }, [ n.ssid || _('(no SSID)') ]),
				E('span', { 'class': 'wm-kind' }, [ KIND[n.kind] || n.kind ]), n.generation ? wm.genBadge(n.generation) : '' ]),
			E('td', { 'class': 'td' }, (n.bands || []).map(function(b) { return wm.bandPill(b); })),
			E('td', { 'class': 'td' }, [ n.encryption_label ]),
			E('td', { 'class': 'td' }, [ wm.statusLabel(n.status) + (n.clients != null ? ' · ' + N_(n.clients, '%d client', '%d clients').format(n.clients) : '') ]),
			E('td', { 'class': 'td right' }, [
				wm.writeControl(E('button', { 'class': 'btn cbi-button wm-edit', 'click': function() { self.editing = n.section; self.expanded[n.section] = true; self.refresh(); } }, _('Edit'))), ' ',
				wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-remove', 'title': _('Remove'), 'click': ui.createHandlerFn(self, 'remove', n) }, '✕')), ' ',
				E('button', { 'class': 'btn wm-expand wm-read', 'click': function() { self.expanded[n.section] = !open; self.refresh(); } }, [ open ? '▴' : '▾' ])
			])
		]) ];
		if (open)
			rows.push(E('tr', { 'class': 'tr wm-row-detail' }, E('td', { 'class': 'td', 'colspan': 5 },
				[].concat(this.editing == n.section ? this.editForm(n) : this.detail(n)))));
		return rows;
	},

	table: function(nets) {
		if (!nets.length) return E('p', {}, _('No networks configured.'));
		var self = this;
		return E('table', { 'class': 'table wm-networks' }, [
			E('tr', { 'class': 'tr' }, [ _('Network'), _('Bands'), _('Security'), _('Status'), '' ].map(function(h) { return E('th', { 'class': 'th' }, [ h ]); }))
		].concat([].concat.apply([], nets.map(function(n) { return self.row(n); }))));
	},

	refresh: function(fromPoll) {
		var self = this;
		return wm.call('networks').then(function(r) {
			if (fromPoll === true && self.editing) return;   /* an edit began meanwhile */
			self.data = r.networks || [];
			dom.content(document.getElementById('wm-networks'), self.table(self.data));
		});
	},

	scanAll: function() {
		return wm.call('scan').then(function(r) {
			ui.showModal(_('Nearby networks'), [
				E('div', { 'class': 'table wm-scan-all' }, [ E('div', { 'class': 'tr' }, [ _('Signal'), _('Band'), 'SSID', _('Ch'), _('Width'), 'BSSID', _('Security') ].map(function(h) { return E('div', { 'class': 'th' }, [ h ]); })) ]
					.concat((r.results || []).map(function(x) {
						return E('div', { 'class': 'tr' }, [ x.quality_pct + '%', wm.bandPill(x.band), x.hidden ? E('em', {}, _('hidden')) : x.ssid,
							x.channel, x.width_mhz + ' MHz', x.bssid, x.security_label ].map(function(v) { return E('div', { 'class': 'td' }, [ v ]); }));
					}))),
				E('div', { 'class': 'right' }, E('button', { 'class': 'btn wm-read', 'click': ui.hideModal }, _('Close')))
			]);
		});
	},

	render: function(data) {
		var self = this;
		this.data = data[1].networks || [];
		var add = wm.writeControl(E('select', { 'id': 'wm-add', 'change': function(ev) {
			var kind = ev.target.value;
			ev.target.value = '';
			if (kind) return wizards.open(kind);
		} }, [
			E('option', { 'value': '' }, _('Add network…')),
			E('option', { 'value': 'mlo_ap' }, _('Access point (MLO, WiFi 7)')),
			E('option', { 'value': 'ap' }, _('Access point')),
			E('option', { 'value': 'station' }, _('Station (uplink)')),
			E('option', { 'value': 'wds' }, _('WDS / bridge')),
			E('option', { 'value': 'repeater' }, _('Repeater'))
		]));
		wm.startPoll(function() {
			if (self.editing) return;
			return self.refresh(true);
		});
		return E('div', {}, [
			wm.renderHeader(data[0][0], data[0][1]),
			E('div', { 'class': 'wm-toolbar' }, [ E('h3', {}, _('Networks')), E('span', { 'class': 'spacer' }),
				E('button', { 'class': 'btn cbi-button-action wm-read', 'id': 'wm-scan-all', 'click': ui.createHandlerFn(this, 'scanAll') }, _('Scan nearby')), add ]),
			E('div', { 'id': 'wm-networks' }, this.table(this.data))
		]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
