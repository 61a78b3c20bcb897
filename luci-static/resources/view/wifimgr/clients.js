'use strict';
'require view';
'require ui';
'require dom';
'require poll';
'require wifimgr.common as wm';
'require wifimgr.history as wmh';

/* luci-app-wifimgr: Clients — signal (colour-coded) with its last hour, WiFi generation,
 * bitrates, per-link rows and link history for MLO clients (the monitor's `history` and
 * `events`), Disconnect. */

var TYPE = { legacy: _('legacy'), mlmr: 'MLMR', emlsr: 'EMLSR', emlmr: 'EMLMR', mlsr: 'MLSR' };

return view.extend({
	open: {},

	load: function() {
		return Promise.all([ wm.loadHeader(), wm.call('clients'), wmh.load('client') ]);
	},

	hist: {},

	disconnect: function(c) {
		return wm.submit('client_disconnect', { mac: c.mac }, { title: _('Disconnect %s?').format(c.hostname || c.mac) })
			.then(L.bind(this.refresh, this));
	},

	linkRows: function(c) {
		return E('div', { 'class': 'table wm-client-links' }, [
			E('div', { 'class': 'tr' }, [ _('Link'), _('Band'), _('Signal'), _('Client → AP'), _('AP → client') ].map(function(h) { return E('div', { 'class': 'th' }, [ h ]); }))
		].concat(c.links.map(function(l) {
			return E('div', { 'class': 'tr' }, [
				E('div', { 'class': 'td' }, [ 'L' + l.link_id ]),
				E('div', { 'class': 'td' }, wm.bandPill(l.band)),
				E('div', { 'class': 'td' }, [ l.active ? wm.signalBars(l.signal_dbm, l.signal_class) : E('span', { 'class': 'wm-note', 'title': l.idle_reason || '' }, _('idle')) ]),
				E('div', { 'class': 'td' }, [ wm.mbps(l.rx_bitrate) ]),
				E('div', { 'class': 'td' }, [ wm.mbps(l.tx_bitrate) ])
			]);
		})));
	},

	rows: function(c) {
		var self = this, open = this.open[c.mac] !== undefined ? this.open[c.mac] : c.mld;
		var out = [ E('tr', { 'class': 'tr wm-client', 'data-mac': c.mac }, [
			E('td', { 'class': 'td' }, [ c.hostname ? E('strong', { 'class': 'wm-hostname' }, [ c.hostname ]) : '', c.hostname ? ' ' : '',
				E('code', {}, [ c.mac ]), ' ', wm.genBadge(c.generation),
				c.mld ? E('span', { 'class': 'wm-kind' }, [ TYPE[c.type] || c.type ]) : '' ]),
			E('td', { 'class': 'td wm-ssid' }, [ c.ssid || '—' ]),
			E('td', { 'class': 'td' }, c.mld ? c.links.map(function(l) { return wm.bandPill(l.band); }) : ''),
			E('td', { 'class': 'td' }, [ wm.signalBars(c.signal_dbm, c.signal_class), ' ',
				wmh.spark(this.hist[c.mac], 'signal_dbm', { min: -90, max: -35, width: 90, height: 18, title: _('signal dBm, last hour') }) ]),
			E('td', { 'class': 'td' }, [ wm.mbps(c.tx_bitrate), E('div', { 'class': 'wm-note' }, [ wm.rateDetail(c.tx_bitrate) ]) ]),
			E('td', { 'class': 'td' }, [ wm.duration(c.connected_s) ]),
			E('td', { 'class': 'td right' }, [
				wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-remove wm-disconnect', 'click': ui.createHandlerFn(this, 'disconnect', c) }, _('Disconnect'))), ' ',
				c.mld ? E('button', { 'class': 'btn wm-read wm-expand', 'click': function() { self.open[c.mac] = !open; self.redraw(); } }, [ open ? '▴' : '▾' ]) : ''
			])
		]) ];
		if (c.mld && open)
			out.push(E('tr', { 'class': 'tr wm-row-detail' }, E('td', { 'class': 'td', 'colspan': 7 }, [
				E('div', { 'class': 'wm-note' }, [ _('max_simul_links %s · capabilities %s').format(c.max_simul_links, (c.capabilities || []).join(', ')) ]),
				this.linkRows(c), wmh.clientHistory(c.mac) ])));
		return out;
	},

	table: function(r) {
		var self = this, list = r.clients || [];
		if (!list.length) return E('p', {}, _('No clients connected.'));
		var s = r.summary || {};
		return E('div', {}, [
			E('p', { 'class': 'wm-summary' }, [ _('%d clients · %d WiFi 7 MLO · average signal %s').format(s.total, s.mld, s.avg_signal_dbm != null ? s.avg_signal_dbm + ' dBm' : '—') ]),
			E('table', { 'class': 'table wm-clients' }, [
				E('tr', { 'class': 'tr' }, [ _('Client'), 'SSID', _('Links'), _('Signal'), _('Rate'), _('Connected'), '' ].map(function(h) { return E('th', { 'class': 'th' }, [ h ]); }))
			].concat([].concat.apply([], list.map(function(c) { return self.rows(c); }))))
		]);
	},

	redraw: function() { dom.content(document.getElementById('wm-clients'), this.table(this.data)); },

	refresh: function() {
		var self = this;
		return Promise.all([ wm.call('clients'), wmh.refresh('client', this.hist) ]).then(function(res) {
			self.data = res[0]; self.redraw(); });
	},

	render: function(data) {
		this.data = data[1];
		this.hist = data[2].byId;
		poll.add(L.bind(this.refresh, this), 10);
		return E('div', {}, [ wm.renderHeader(data[0][0], data[0][1]), E('h3', {}, _('Clients')),
			E('div', { 'id': 'wm-clients' }, this.table(this.data)) ]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
