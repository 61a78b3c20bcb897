'use strict';
'require baseclass';
'require wifimgr.common as wm';

/*
 * luci-app-wifimgr: the monitor's history in the views — series from the `history` read
 * method (the last hour is there when a page opens; nothing is kept in the browser), their
 * sparklines, and a client's link history (which links carried traffic, when). Every value
 * from the backend is put into the page as a text node.
 */

var SVG = 'http://www.w3.org/2000/svg';
var MAX_POINTS = 400;   /* an hour at the shortest interval the page keeps growing */

function T(v) { return wm.text(v); }   /* the one text helper (common.js) */
function pad2(n) { return (n < 10 ? '0' : '') + n; }

return baseclass.extend({
	text: T,

	/* {kind, id?, since?, step?} → Promise of { byId: {id: series}, reply } */
	load: function(kind, id, since) {
		var args = { kind: kind };
		if (id) args.id = id;
		if (since != null) args.since = since;
		return wm.call('history', args).then(function(r) {
			var byId = {};
			((r && r.series) || []).forEach(function(s) { byId[s.id] = s; });
			return { byId: byId, reply: r || {} };
		});
	},

	/* newer points (since the last one held) appended to the series held in `byId`; `ids`:
	 * only these (one call for several, with every column — a client's links too) */
	refresh: function(kind, byId, ids) {
		var last = 0;
		(ids || Object.keys(byId)).forEach(function(k) {
			var t = byId[k] ? byId[k].t : []; if (t.length && t[t.length - 1] > last) last = t[t.length - 1];
		});
		return this.load(kind, ids ? ids.join(',') : null, last ? last + 1 : null).then(function(res) {
			Object.keys(res.byId).forEach(function(k) {
				var s = res.byId[k], old = byId[k];
				if (!old) { byId[k] = s; return; }
				var n0 = old.t.length, cut = n0 + s.t.length - Math.max(MAX_POINTS, n0);
				var nulls = function(n) { var a = []; while (a.length < n) a.push(null); return a; };
				old.t = old.t.concat(s.t);
				Object.keys(Object.assign({}, old.values, s.values)).forEach(function(c) {
					old.values[c] = (old.values[c] || nulls(n0)).concat(s.values[c] || nulls(s.t.length));
				});
				if (cut > 0) {
					old.t = old.t.slice(cut);
					Object.keys(old.values).forEach(function(c) { old.values[c] = old.values[c].slice(cut); });
				}
				old.labels = s.labels;
			});
			return byId;
		});
	},

	column: function(series, col) {
		return (series && series.values && series.values[col]) || [];
	},

	spark: function(series, col, opts) {
		var values = this.column(series, col), o = Object.assign({}, opts || {});
		var nums = values.filter(function(v) { return v != null; });
		o.title = (o.title || col) + (nums.length ? ': ' + nums[nums.length - 1] : '') +
			(series ? ' · ' + _('%d points, every %d s').format(values.length, series.step) : '');
		var svg = wm.sparkline(values, o);
		svg.setAttribute('data-points', String(nums.length));
		if (nums.length >= 2)
			return svg;
		/* the monitor has not sampled twice yet (just started, or off): say so, not a blank */
		return E('span', { 'class': 'wm-spark-empty' }, [ svg, ' ',
			E('span', { 'class': 'wm-note' }, [ _('collecting history…') ]) ]);
	},

	/* the last reading of a column with its unit ('—' when there is none) */
	lastValue: function(series, col, unit) {
		var v = this.column(series, col).filter(function(x) { return x != null; }).pop();
		return v == null ? '—' : (Math.round(v * 10) / 10) + (unit ? ' ' + unit : '');
	},

	/* one aligned row: label, sparkline, its last value (the rows of a card line up) */
	sparkRow: function(label, series, col, opts, unit) {
		var line = this.spark(series, col, opts);
		/* fewer than two samples: the note takes the line's place, the value stays in its column */
		if (line.classList.contains('wm-spark-empty'))
			line = E('span', { 'class': 'wm-note wm-spark-wait' }, [ T(_('collecting history…')) ]);
		return E('div', { 'class': 'wm-sparkrow', 'data-col': col }, [
			E('span', { 'class': 'wm-note wm-spark-label' }, [ T(label) ]),
			line,
			E('span', { 'class': 'wm-spark-val' }, [ T(this.lastValue(series, col, unit)) ]) ]);
	},

	clock: function(t) {
		var d = new Date(t * 1000);
		return [ d.getHours(), d.getMinutes(), d.getSeconds() ].map(pad2).join(':');
	},

	/* a Unix time as local date and time */
	when: function(t) {
		var d = new Date(t * 1000);
		return [ d.getFullYear(), pad2(d.getMonth() + 1), pad2(d.getDate()) ].join('-') + ' ' + this.clock(t);
	},

	/* a client's link history and its last joins, leaves and link changes. The box is made
	 * once, when the row first opens, and kept (the Clients tab moves it into each redraw and
	 * fills it again in place from `store` on its slow poll: no "Loading…" after the first) */
	clientHistory: function(mac, store) {
		var self = this, box = E('div', { 'class': 'wm-client-history', 'data-mac': mac }, [
			E('span', { 'class': 'spinning' }, [ T(_('Loading the link history…')) ]) ]);
		Promise.all([ this.load('client', mac, -3600),
		              wm.call('events', { subject: mac, kind: 'clients', limit: 10 }) ]).then(function(res) {
			store.series[mac] = res[0].byId[mac];
			store.events[mac] = (res[1] && res[1].events) || [];
			store.loaded[mac] = true;     /* refreshed from now on, with or without history yet */
			self.fillHistory(box, store.series[mac], store.events[mac]);
		});
		return box;
	},

	fillHistory: function(box, series, events) {
		var self = this, evs = (events || []).slice(-10).reverse();
		while (box.firstChild) box.removeChild(box.firstChild);
		box.appendChild(this.linkStrip(series));
		box.appendChild(E('ul', { 'class': 'wm-client-events' }, evs.map(function(e) {
			return E('li', {}, [ T(self.clock(e.t) + ' '), E('bdi', {}, [ T(e.message) ]) ]);
		})));
	},

	/* one row per link id: a cell per point — carried traffic (valid reading), idle (the client
	 * was there, the link was not used), or no sample */
	linkStrip: function(series) {
		if (!series) return E('p', { 'class': 'wm-note' }, [ T(_('No history for this client yet.')) ]);
		var mask = this.column(series, 'links'), ids = [];
		Object.keys(series.values).forEach(function(c) {
			var m = /^l(\d+)_signal_dbm$/.exec(c);
			if (m) ids.push(+m[1]);
		});
		ids.sort(function(a, b) { return a - b; });
		var n = mask.length, w = 280, h = 10, self = this;
		var rows = ids.map(function(lid) {
			var svg = document.createElementNS(SVG, 'svg');
			svg.setAttribute('class', 'wm-linkstrip');
			svg.setAttribute('width', w); svg.setAttribute('height', h);
			var cw = n ? w / n : w, active = 0;
			for (var i = 0; i < n; i++) {
				var r = document.createElementNS(SVG, 'rect');
				var state = mask[i] == null ? 'none' : ((mask[i] >> lid) & 1 ? 'on' : 'idle');
				if (state == 'on') active++;
				r.setAttribute('x', (i * cw).toFixed(1)); r.setAttribute('y', 0);
				r.setAttribute('width', Math.max(cw, 1).toFixed(1)); r.setAttribute('height', h);
				r.setAttribute('class', 'wm-ls-' + state);
				svg.appendChild(r);
			}
			svg.setAttribute('data-active', String(active));
			var line = self.spark(series, 'l' + lid + '_signal_dbm', { min: -90, max: -35, width: 100, height: 18, title: _('signal dBm') });
			if (line.classList.contains('wm-spark-empty'))
				line = E('span', { 'class': 'wm-note wm-spark-wait' }, [ T(_('collecting history…')) ]);
			return E('div', { 'class': 'wm-linkrow', 'data-link': String(lid) }, [
				E('span', { 'class': 'wm-note' }, [ T('L' + lid) ]), svg, line,
				E('span', { 'class': 'wm-spark-val' }, [ T(self.lastValue(series, 'l' + lid + '_signal_dbm', 'dBm')) ])
			]);
		});
		var t = series.t;
		return E('div', { 'class': 'wm-linkhist' }, [
			E('div', { 'class': 'wm-note' }, [ T(t.length ? _('Links used from %s to %s (filled: the link carried traffic)').format(
				this.clock(t[0]), this.clock(t[t.length - 1])) : _('No samples yet.')) ])
		].concat(rows));
	}
});
