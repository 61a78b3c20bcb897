'use strict';
'require view';
'require ui';
'require dom';
'require wifimgr.common as wm';
'require wifimgr.history as wmh';

/* luci-app-wifimgr: Clients — signal (colour-coded) with its last hour, WiFi generation,
 * bitrates, per-link rows and link history for MLO clients (the monitor's `history` and
 * `events`), Disconnect. Sorted by signal, rate or band, filtered by band and client class;
 * beyond a handful of clients every row starts collapsed.
 *
 * Polling (common.js startPoll): `clients` every tick; the rows' signal history and the open
 * link-history boxes (one `history` call for all of them, one `events` call since the last
 * event held) on the slow ticks — whatever the number of clients. */

var TYPE = { legacy: _('legacy'), mlmr: 'MLMR', emlsr: 'EMLSR', emlmr: 'EMLMR', mlsr: 'MLSR' };
/* up to this many clients, MLO rows start expanded */
var FEW = 4;
var BAND_ORDER = { '2g': 1, '5g': 2, '6g': 3 };

function T(v) { return wm.text(v); }

function bandRank(c) {
	return Math.max.apply(null, [ 0 ].concat((c.bands || []).map(function(b) { return BAND_ORDER[b] || 0; })));
}

var SORTS = {
	signal: function(a, b) { return (b.signal_dbm == null ? -999 : b.signal_dbm) - (a.signal_dbm == null ? -999 : a.signal_dbm); },
	rate: function(a, b) { return ((b.tx_bitrate || {}).mbps || 0) - ((a.tx_bitrate || {}).mbps || 0); },
	band: function(a, b) { return bandRank(b) - bandRank(a) || SORTS.signal(a, b); },
	name: function(a, b) { return String(a.hostname || a.mac).localeCompare(String(b.hostname || b.mac)); }
};

return view.extend({
	open: {},
	boxes: {},
	store: { series: {}, events: {}, loaded: {} },
	sortKey: 'signal',
	bandFilter: '',
	classFilter: '',

	/* the rows' signal history comes after the first render (with many clients it is the
	 * larger reply): the table does not wait for it */
	load: function() {
		return Promise.all([ wm.loadHeader(), wm.call('clients') ]);
	},

	hist: {},

	disconnect: function(c) {
		return wm.submit('client_disconnect', { mac: c.mac }, { title: _('Disconnect %s?').format(c.hostname || c.mac) })
			.then(L.bind(this.refresh, this));
	},

	isOpen: function(c) {
		if (this.open[c.mac] !== undefined) return this.open[c.mac];
		return !!c.mld && ((this.data && this.data.clients) || []).length <= FEW;
	},

	linkRows: function(c) {
		return E('div', { 'class': 'table wm-client-links' }, [
			E('div', { 'class': 'tr' }, [ _('Link'), _('Band'), _('Signal'), _('Client → AP'), _('AP → client') ].map(function(h) { return E('div', { 'class': 'th' }, [ h ]); }))
		].concat(c.links.map(function(l) {
			return E('div', { 'class': 'tr' }, [
				E('div', { 'class': 'td' }, [ 'L' + l.link_id ]),
				E('div', { 'class': 'td' }, wm.bandPill(l.band)),
				E('div', { 'class': 'td' }, [ l.active ? wm.signalBars(l.signal_dbm, l.signal_class)
					: E('span', { 'class': 'wm-note' }, [ _('idle'), l.idle_reason ? ' (' : '', l.idle_reason ? E('bdi', {}, [ l.idle_reason ]) : '', l.idle_reason ? ')' : '' ]) ]),
				E('div', { 'class': 'td' }, [ wm.mbps(l.rx_bitrate) ]),
				E('div', { 'class': 'td' }, [ wm.mbps(l.tx_bitrate) ])
			]);
		})));
	},

	/* the link-history box of a client: made once, then moved into every redraw */
	historyBox: function(c) {
		if (!this.boxes[c.mac])
			this.boxes[c.mac] = wmh.clientHistory(c.mac, this.store);
		return this.boxes[c.mac];
	},

	rows: function(c) {
		var self = this, open = this.isOpen(c);
		var out = [ E('tr', { 'class': 'tr wm-client', 'data-mac': c.mac }, [
			E('td', { 'class': 'td', 'data-title': _('Client') }, [ c.hostname ? E('strong', { 'class': 'wm-hostname' }, [ E('bdi', {}, [ c.hostname ]) ]) : '', c.hostname ? ' ' : '',
				E('code', {}, [ c.mac ]), ' ', wm.genBadge(c.generation),
				c.mld ? E('span', { 'class': 'wm-kind' }, [ TYPE[c.type] || c.type ]) : '' ]),
			E('td', { 'class': 'td wm-ssid', 'data-title': 'SSID' }, [ c.ssid ? E('bdi', {}, [ c.ssid ]) : '—' ]),
			E('td', { 'class': 'td', 'data-title': _('Bands') }, (c.bands || []).map(function(b) { return wm.bandPill(b); })),
			E('td', { 'class': 'td', 'data-title': _('Signal') }, [ wm.signalBars(c.signal_dbm, c.signal_class), ' ',
				wmh.spark(this.hist[c.mac], 'signal_dbm', { min: -90, max: -35, width: 90, height: 18, title: _('signal dBm, last hour') }) ]),
			E('td', { 'class': 'td', 'data-title': _('Rate') }, [ wm.mbps(c.tx_bitrate), E('div', { 'class': 'wm-note' }, [ wm.rateDetail(c.tx_bitrate) ]) ]),
			E('td', { 'class': 'td', 'data-title': _('Connected') }, [ wm.duration(c.connected_s) ]),
			E('td', { 'class': 'td right' }, [
				wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-remove wm-disconnect', 'click': ui.createHandlerFn(this, 'disconnect', c) }, _('Disconnect'))), ' ',
				c.mld ? E('button', { 'class': 'btn wm-read wm-expand', 'aria-expanded': open ? 'true' : 'false',
					'title': open ? _('Hide the links') : _('Show the links and their history'),
					'click': function() { self.open[c.mac] = !open; self.redraw(); } }, [ open ? '▴' : '▾' ]) : ''
			])
		]) ];
		if (c.mld && open)
			out.push(E('tr', { 'class': 'tr wm-row-detail' }, E('td', { 'class': 'td', 'colspan': 7 }, [
				E('div', { 'class': 'wm-note' }, [ _('max_simul_links %s · capabilities %s').format(c.max_simul_links, (c.capabilities || []).join(', ')) ]),
				this.linkRows(c), this.historyBox(c) ])));
		return out;
	},

	visible: function(list) {
		var self = this;
		return list.filter(function(c) {
			if (self.bandFilter && (c.bands || []).indexOf(self.bandFilter) < 0) return false;
			if (self.classFilter == 'mlo' && !c.mld) return false;
			if (self.classFilter && self.classFilter != 'mlo' && (c.mld ? c.type : 'legacy') != self.classFilter) return false;
			return true;
		}).sort(SORTS[this.sortKey] || SORTS.signal);
	},

	controls: function(list) {
		var self = this;
		var sel = function(id, value, options, set) {
			return E('select', { 'id': id, 'class': 'cbi-input-select wm-read', 'change': function(ev) { set(ev.target.value); self.redraw(); } },
				options.map(function(o) { return E('option', { 'value': o[0], 'selected': o[0] == value ? '' : null }, [ o[1] ]); }));
		};
		var classes = {};
		list.forEach(function(c) { classes[c.mld ? c.type : 'legacy'] = true; });
		return E('div', { 'class': 'wm-toolbar wm-cl-controls' }, [
			E('label', {}, [ _('Sort by'), ' ', sel('wm-cl-sort', this.sortKey,
				[ [ 'signal', _('signal') ], [ 'rate', _('rate') ], [ 'band', _('band') ], [ 'name', _('name') ] ],
				function(v) { self.sortKey = v; }) ]),
			E('label', {}, [ _('Band'), ' ', sel('wm-cl-band', this.bandFilter,
				[ [ '', _('all bands') ], [ '2g', '2.4 GHz' ], [ '5g', '5 GHz' ], [ '6g', '6 GHz' ] ],
				function(v) { self.bandFilter = v; }) ]),
			E('label', {}, [ _('Class'), ' ', sel('wm-cl-class', this.classFilter,
				[ [ '', _('all clients') ], [ 'mlo', _('WiFi 7 MLO') ] ].concat(Object.keys(TYPE).filter(function(k) { return classes[k]; })
					.map(function(k) { return [ k, TYPE[k] ]; })),
				function(v) { self.classFilter = v; }) ])
		]);
	},

	table: function(r) {
		var self = this, list = (r && r.clients) || [];
		if (r && r.ok === false) return E('p', { 'class': 'wm-bad' }, [ T(wm.errorText(r)) ]);
		if (!list.length) return E('p', {}, _('No clients connected.'));
		var s = r.summary || {}, shown = this.visible(list);
		return E('div', {}, [
			E('p', { 'class': 'wm-summary' }, [ _('%d clients · %d WiFi 7 MLO · average signal %s').format(s.total, s.mld, s.avg_signal_dbm != null ? s.avg_signal_dbm + ' dBm' : '—'),
				shown.length != list.length ? ' · ' + _('%d shown').format(shown.length) : '' ]),
			this.controls(list),
			E('table', { 'class': 'table wm-clients' }, [
				E('tr', { 'class': 'tr table-titles' }, [ _('Client'), 'SSID', _('Bands'), _('Signal'), _('Rate'), _('Connected'), '' ].map(function(h) { return E('th', { 'class': 'th' }, [ h ]); }))
			].concat([].concat.apply([], shown.map(function(c) { return self.rows(c); }))))
		]);
	},

	redraw: function() {
		var holder = document.getElementById('wm-clients');
		/* a select the owner is using is not pulled from under them */
		if (holder && holder.contains(document.activeElement) && document.activeElement.tagName == 'SELECT') return;
		dom.content(holder, this.table(this.data));
	},

	/* the slow tick: the rows' signal history (all clients, since the last point held), and
	 * the open boxes' link history and events — one call each, filled in place */
	refreshHistory: function() {
		var self = this, store = this.store;
		var macs = Object.keys(this.boxes).filter(function(m) {
			return store.loaded[m] && (self.data.clients || []).some(function(c) { return c.mac == m && self.isOpen(c); });
		}).slice(0, 64);
		var lastEv = 0;
		macs.forEach(function(m) { (store.events[m] || []).forEach(function(e) { if (e.t > lastEv) lastEv = e.t; }); });
		return Promise.all([
			wmh.refresh('client', this.hist),
			macs.length ? wmh.refresh('client', store.series, macs) : null,
			macs.length ? wm.call('events', lastEv ? { kind: 'clients', since: Math.floor(lastEv) } : { kind: 'clients', since: -3600, limit: 200 }) : null
		]).then(function(res) {
			var seen = {};
			macs.forEach(function(m) { (store.events[m] || []).forEach(function(e) { seen[JSON.stringify(e)] = true; }); });
			((res[2] && res[2].events) || []).forEach(function(e) {
				if (!e.mac || macs.indexOf(e.mac) < 0 || seen[JSON.stringify(e)]) return;
				(store.events[e.mac] = store.events[e.mac] || []).push(e);
			});
			macs.forEach(function(m) {
				store.events[m] = (store.events[m] || []).slice(-10);
				wmh.fillHistory(self.boxes[m], store.series[m], store.events[m]);
			});
		});
	},

	refresh: function(tick) {
		var self = this;
		return Promise.all([ wm.call('clients'), (tick && wm.slow(tick)) ? this.refreshHistory() : null ]).then(function(res) {
			self.data = res[0]; self.redraw(); });
	},

	render: function(data) {
		var self = this;
		this.data = data[1];
		this.hist = {};
		wmh.load('client').then(function(res) { self.hist = res.byId; self.redraw(); });
		wm.startPoll(L.bind(this.refresh, this));
		return E('div', {}, [ wm.renderHeader(data[0][0], data[0][1]), E('h3', {}, _('Clients')),
			E('div', { 'id': 'wm-clients' }, this.table(this.data)) ]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
