'use strict';
'require view';
'require dom';
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

	/* the whole filtered range (when the page opens or a filter changes); `since`: only what
	 * came after (the poll) */
	query: function(since) {
		var a = { limit: 500 };
		if (this.filter.kind) a.kind = this.filter.kind;
		if (this.filter.subject) a.subject = this.filter.subject;
		if (since) a.since = since;
		else if (this.filter.range) a.since = -this.filter.range;
		return wm.call('events', a);
	},

	load: function() {
		return Promise.all([ wm.loadHeader(), this.query() ]);
	},

	/* the last apply's health check: what happened and why. The alert box carries the colour;
	 * the items inside it are plain text (red on red was unreadable), and an item that only
	 * repeats the line above is not shown twice */
	healthCard: function(status) {
		var h = status && status.health;
		if (!h) return E('div', { 'id': 'wm-health' });
		var last = h.last || {}, nodes = [];
		var state = { ok: _('Every enabled network and MLD link is up'), checking: _('Checking the last apply'),
		              degraded: _('Degraded'), unknown: _('No health check (the monitor is not running)') }[h.state] || h.state;
		if (h.phase == 'pending_reboot') state = _('Saved changes wait for a reboot');
		nodes.push(E('h4', {}, [ T(state) ]));
		var missing = (h.missing || []).filter(function(m) { return m.message != h.message; });
		if (h.message) nodes.push(E('p', { 'class': 'wm-health-now' }, [ E('bdi', {}, [ T(h.message) ]) ]));
		if (missing.length)
			nodes.push(E('ul', { 'class': 'wm-health-missing' }, missing.map(function(m) { return E('li', {}, [ E('bdi', {}, [ T(m.message) ]) ]); })));
		if ((h.waiting || []).length)
			nodes.push(E('p', { 'class': 'wm-health-waiting' }, [ T(_('Waiting for the reboot:')), ' ',
				E('bdi', {}, [ T(h.waiting.map(function(m) { return m.message; }).join('; ')) ]) ]));
		if (last.state) {
			var what = { healthy: _('The last apply came up healthy.'),
			             rolled_back: _('The last apply did not come up and was rolled back:'),
			             degraded: _('The last apply did not come up:') }[last.state] || last.state;
			var again = last.state != 'healthy' && last.message && last.message != h.message;
			nodes.push(E('p', { 'class': 'wm-health-last' }, [ E('strong', {}, [ T(what) ]), ' ', again ? E('bdi', {}, [ T(last.message) ]) : '' ]));
			if (last.rollback_refused)
				nodes.push(E('p', { 'class': 'wm-health-refused' }, [ T(_('Not rolled back:')), ' ', E('bdi', {}, [ T(last.rollback_refused) ]) ]));
		}
		var cls = h.state == 'degraded' ? 'error'
			: ((last.state == 'rolled_back' || last.state == 'degraded' || h.phase == 'pending_reboot') ? 'warning' : 'notice');
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
				E('td', { 'class': 'td' }, [ e.subject ? E('code', {}, [ E('bdi', {}, [ T(e.subject) ]) ]) : '' ]),
				E('td', { 'class': 'td wm-ev-msg' }, [ E('bdi', {}, [ T(e.message) ]) ])
			]);
		})));
	},

	monitorNote: function(r) {
		var m = (r && r.monitor) || {};
		return E('p', { 'class': 'wm-note', 'id': 'wm-ev-monitor' }, [ T(m.running
			? _('The monitor samples every %d s; %d of %d events shown. History and events live in RAM and start again after a reboot (apply outcomes are kept).').format(
				m.interval, (r.events || []).length, Math.max(r.matched || 0, (r.events || []).length))
			: _('The monitor is not running: only events recorded by applies and the steering daemon appear.')) ]);
	},

	show: function() {
		dom.content(document.getElementById('wm-ev-table'), this.table(this.data));
		dom.content(document.getElementById('wm-ev-foot'), this.monitorNote(this.data));
	},

	/* a filter changed: the whole range again */
	update: function() {
		var self = this;
		return this.query().then(function(r) { self.data = r; self.show(); });
	},

	/* the poll: only the events after the newest one held (the same second again: an event
	 * already held is not added twice), merged; the range's start moves on */
	more: function() {
		var self = this, old = this.data || {}, evs = old.events || [];
		if (old.error || !evs.length) return this.update();
		var newest = evs[evs.length - 1].t;
		return this.query(Math.floor(newest)).then(function(r) {
			if (!r || r.error) return;
			var seen = {};
			evs.forEach(function(e) { seen[JSON.stringify(e)] = true; });
			var add = (r.events || []).filter(function(e) { return !seen[JSON.stringify(e)]; });
			var start = self.filter.range ? (r.now || 0) - self.filter.range : null;
			var all = evs.concat(add).filter(function(e) { return start == null || e.t >= start; }).slice(-500);
			var changed = add.length || all.length != evs.length;
			self.data = Object.assign({}, old, { now: r.now, monitor: r.monitor, events: all,
				matched: Math.max(0, (old.matched || 0) + add.length - (evs.length + add.length - all.length)) });
			if (changed) self.show();
		});
	},

	render: function(data) {
		var self = this;
		this.data = data[1];
		wm.startPoll(function() { return self.more(); });
		wm.onStatus(function(st) {
			var old = document.getElementById('wm-health');
			if (old) old.parentNode.replaceChild(self.healthCard(st), old);
		});
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
