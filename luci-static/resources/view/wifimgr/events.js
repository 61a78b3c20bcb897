'use strict';
'require view';
'require dom';
'require poll';
'require wifimgr.common as wm';
'require wifimgr.history as wmh';

/* luci-app-wifimgr: Events — what happened to the WiFi: clients joining, leaving and changing
 * links, MLD links, A-TTLM blocks, Neg-TTLM maps, DFS and radar, channel changes, a locked
 * chip, applies, their health check and rollbacks. From the monitor's timeline (`events`),
 * filtered by group or kind, subject and time; every backend value is shown as text. */

var T = function(v) { return document.createTextNode(v == null ? '' : String(v)); };

var RANGES = [ [ 3600, _('last hour') ], [ 6 * 3600, _('last 6 hours') ],
               [ 24 * 3600, _('last 24 hours') ], [ 0, _('everything kept') ] ];
var GROUP_LABEL = { clients: _('Clients'), links: _('MLD links and TTLM'), radio: _('Radio, DFS, chip'),
                    config: _('Applies and rollbacks'), monitor: _('Monitor') };
var CLS = { degraded: 'wm-bad', rolled_back: 'wm-bad', rollback_refused: 'wm-bad', chip_locked: 'wm-bad',
            radar: 'weak', link_down: 'weak', healthy: 'good', link_up: 'good' };

return view.extend({
	filter: { kind: '', subject: '', range: 24 * 3600 },

	query: function() {
		var a = { limit: 500 };
		if (this.filter.kind) a.kind = this.filter.kind;
		if (this.filter.subject) a.subject = this.filter.subject;
		if (this.filter.range) a.since = -this.filter.range;
		return wm.call('events', a);
	},

	load: function() {
		return Promise.all([ wm.loadHeader(), this.query() ]);
	},

	/* the last apply's health check: what happened and why */
	healthCard: function(status) {
		var h = status && status.health;
		if (!h) return E('div', { 'id': 'wm-health' });
		var last = h.last || {}, nodes = [];
		var state = { ok: _('Every enabled network and MLD link is up'), checking: _('Checking the last apply'),
		              degraded: _('Degraded'), unknown: _('No health check (the monitor is not running)') }[h.state] || h.state;
		nodes.push(E('h4', {}, [ T(state) ]));
		if (h.message) nodes.push(E('p', { 'class': 'wm-health-now' }, [ T(h.message) ]));
		(h.missing || []).forEach(function(m) { nodes.push(E('div', { 'class': 'wm-bad' }, [ T(m.message) ])); });
		if (last.state) {
			var what = { healthy: _('The last apply came up healthy.'),
			             rolled_back: _('The last apply did not come up and was rolled back:'),
			             degraded: _('The last apply did not come up:') }[last.state] || last.state;
			nodes.push(E('p', { 'class': 'wm-health-last' }, [ E('strong', {}, [ T(what) ]), ' ', T(last.state != 'healthy' ? last.message : '') ]));
			if (last.rollback_refused)
				nodes.push(E('p', { 'class': 'wm-health-refused' }, [ T(_('Not rolled back:')), ' ', T(last.rollback_refused) ]));
		}
		var cls = (h.state == 'degraded' || last.state == 'degraded') ? 'error'
			: (last.state == 'rolled_back' ? 'warning' : 'notice');
		return E('div', { 'class': 'alert-message ' + cls, 'id': 'wm-health' }, nodes);
	},

	filters: function(r) {
		var self = this, kinds = (r && r.kinds) || [], groups = (r && r.groups) || {};
		var sel = E('select', { 'id': 'wm-ev-kind', 'class': 'wm-read', 'change': function(ev) { self.filter.kind = ev.target.value; self.update(); } },
			[ E('option', { 'value': '' }, [ T(_('all events')) ]) ]
			.concat(Object.keys(groups).map(function(g) {
				return E('option', { 'value': g, 'selected': self.filter.kind == g ? '' : null }, [ T(GROUP_LABEL[g] || g) ]);
			}))
			.concat(kinds.map(function(k) {
				return E('option', { 'value': k.kind, 'selected': self.filter.kind == k.kind ? '' : null }, [ T('· ' + k.label) ]);
			})));
		var range = E('select', { 'id': 'wm-ev-range', 'class': 'wm-read', 'change': function(ev) { self.filter.range = +ev.target.value; self.update(); } },
			RANGES.map(function(x) {
				return E('option', { 'value': String(x[0]), 'selected': self.filter.range == x[0] ? '' : null }, [ T(x[1]) ]);
			}));
		var subj = E('input', { 'id': 'wm-ev-subject', 'class': 'wm-read', 'type': 'text', 'placeholder': _('MAC, radio, network or job'),
			'value': this.filter.subject, 'change': function(ev) { self.filter.subject = ev.target.value.trim(); self.update(); } });
		return E('div', { 'class': 'wm-ev-filters' }, [ sel, ' ', range, ' ', subj ]);
	},

	table: function(r) {
		var self = this, evs = ((r && r.events) || []).slice().reverse();   /* newest first */
		var labels = {};
		((r && r.kinds) || []).forEach(function(k) { labels[k.kind] = k.label; });
		if (r && r.error)
			return E('p', { 'class': 'wm-bad' }, [ T(wm.errorText(r)) ]);
		if (!evs.length)
			return E('p', { 'id': 'wm-ev-empty' }, [ T(_('No events match.')) ]);
		return E('table', { 'class': 'table wm-events' }, [
			E('tr', { 'class': 'tr' }, [ _('Time'), _('Event'), _('Subject'), _('What happened') ].map(function(h) {
				return E('th', { 'class': 'th' }, [ T(h) ]); }))
		].concat(evs.map(function(e) {
			return E('tr', { 'class': 'tr wm-event', 'data-kind': String(e.kind) }, [
				E('td', { 'class': 'td' }, [ T(wmh.when(e.t)) ]),
				E('td', { 'class': 'td ' + (CLS[e.kind] || '') }, [ T(labels[e.kind] || e.kind) ]),
				E('td', { 'class': 'td' }, [ E('code', {}, [ T(e.subject || '') ]) ]),
				E('td', { 'class': 'td wm-ev-msg' }, [ T(e.message) ])
			]);
		})));
	},

	monitorNote: function(r) {
		var m = (r && r.monitor) || {};
		return E('p', { 'class': 'wm-note', 'id': 'wm-ev-monitor' }, [ T(m.running
			? _('The monitor samples every %d s; %d of %d events shown. History and events live in RAM and start again after a reboot (apply outcomes are kept).').format(
				m.interval, (r.events || []).length, r.matched || 0)
			: _('The monitor is not running: only events recorded by applies and the steering daemon appear.')) ]);
	},

	update: function() {
		var self = this;
		return this.query().then(function(r) {
			self.data = r;
			dom.content(document.getElementById('wm-ev-table'), self.table(r));
			dom.content(document.getElementById('wm-ev-foot'), self.monitorNote(r));
		});
	},

	render: function(data) {
		this.data = data[1];
		poll.add(L.bind(this.update, this), 10);
		return E('div', {}, [
			wm.renderHeader(data[0][0], data[0][1]),
			E('h3', {}, [ T(_('Events')) ]),
			this.healthCard(data[0][0]),
			this.filters(this.data),
			E('div', { 'id': 'wm-ev-table' }, this.table(this.data)),
			E('div', { 'id': 'wm-ev-foot' }, this.monitorNote(this.data))
		]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
