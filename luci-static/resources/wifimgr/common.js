'use strict';
'require baseclass';
'require rpc';
'require ui';
'require dom';
'require poll';

/*
 * luci-app-wifimgr: helpers shared by every view — calls to the `wifimgr` ubus object, the
 * page header (version, locked-chip and pending-reboot banners), the write flow (dry run →
 * verdict → confirm → apply progress), and small widgets (band pills, signal bars, sparklines).
 * All logic lives in the backend; this only renders what it returns.
 */

var BAND_LABEL = { '2g': '2.4 GHz', '5g': '5 GHz', '6g': '6 GHz' };
var declared = {};
var writable = null, accessCheck = null;

/* Polling (issue 25): one poll per tab every PERIOD s; the header (status) on every
 * HEADER_EVERY-th tick of the same poll; a tab's slower work (history, link history) every
 * SLOW_EVERY-th tick. Idle, a tab makes at most 6 + 2 + its slow calls a minute. */
var PERIOD = 10, HEADER_EVERY = 3, SLOW_EVERY = 6;

/* LuCI asks rpcd the same way (form.js asks `session access` per uci config; the menu's
 * `depends.acl` is the access group): does this login hold the write grant of our group? */
var callAccess = rpc.declare({ object: 'session', method: 'access', params: [ 'scope', 'object', 'function' ],
                               expect: { 'access': false } });

function declareCall(method, keys) {
	var id = method + ':' + keys.join(',');
	if (!declared[id])
		declared[id] = rpc.declare({ object: 'wifimgr', method: method, params: keys, expect: { '': {} } });
	return declared[id];
}

return baseclass.extend({
	__init__: function() {
		if (!document.querySelector('link[data-wifimgr-css]'))
			document.head.appendChild(E('link', { 'rel': 'stylesheet', 'data-wifimgr-css': '1',
				'href': L.resource('wifimgr/wifimgr.css') }));
	},

	/* ---------------------------------------------------------------- text
	 * The one way a value from outside (SSIDs, host names, log lines, option values, error
	 * messages) reaches the page: a text node. LuCI's E(), dom.append() and dom.content()
	 * parse a string child that is not inside an array as HTML (and ui.showModal()'s title
	 * too); tests/browser/test_text_lint.py fails on view code that hands them one. */
	text: function(v) {
		return document.createTextNode(v == null ? '' : String(v));
	},

	/* ---------------------------------------------------------------- access
	 * Read-only logins: every write control is built through writeControl(), which disables
	 * it with the reason as tooltip when the session lacks the write grant. */
	loadAccess: function() {
		if (!accessCheck)
			accessCheck = callAccess('access-group', 'luci-app-wifimgr', 'write').then(function(ok) {
				writable = !!ok;
				return writable;
			}).catch(function() { writable = false; return false; });
		return accessCheck;
	},

	canWrite: function() { return writable !== false; },

	readOnlyReason: function() {
		return _('This login may only read: ask an administrator to make this change.');
	},

	/* the reason as text on the page (a tooltip is invisible on a phone): under the header of
	 * every tab and at the top of every wizard of a read-only login */
	readOnlyNote: function() {
		return writable === false ? E('p', { 'class': 'wm-readonly-note' }, [ this.readOnlyReason() ]) : '';
	},

	/* `lacking`: why this router's WiFi stack cannot do what the control writes (unavailable());
	 * the control is disabled with that reason, as for a read-only login — whose reason wins */
	writeControl: function(el, lacking) {
		el.classList.add('wm-write');
		if (writable === false) {
			el.disabled = true;
			el.setAttribute('title', this.readOnlyReason());
		}
		else if (lacking) {
			el.disabled = true;
			el.classList.add('wm-lacking');
			el.setAttribute('title', lacking);
		}
		return el;
	},

	/* ---------------------------------------------------------------- the capability map
	 * What this router's WiFi stack can do (issue 23): `features` of status.platform, radios,
	 * constraints and linkpolicy — {available, needs, title, reason} per feature, decided by the
	 * backend from what the router reports. A feature the stack lacks is shown disabled with
	 * the reason, never hidden without a word. */
	unavailable: function(f) {
		if (!f || f.available !== false) return null;
		return f.reason || _('This router does not report it.');
	},

	/* the platform map of the last status (every tab loads it with the header) */
	platform: function() {
		return (this.lastStatus && this.lastStatus.platform) || null;
	},

	feature: function(name, features) {
		var all = features || (this.platform() || {}).features || {};
		return all[name] || null;
	},

	/* a notice at the top of a tab or wizard whose feature this router lacks: what and why */
	lackingNote: function(f, headline) {
		var why = this.unavailable(f);
		if (!why) return '';
		return E('div', { 'class': 'alert-message warning wm-lacking-note' }, [
			E('h4', {}, [ this.text(headline) ]),
			E('p', {}, [ this.text(why.charAt(0).toUpperCase() + why.slice(1)) ]) ]);
	},

	/* one TX power for the whole MLD: where the driver has no per-link reading (upstream
	 * mt7996_get_txpower reads the default link for every link), say so beside the values */
	mldTxpowerNote: function() {
		if (!this.unavailable(this.feature('txpower_per_link'))) return '';
		return E('p', { 'class': 'wm-note wm-mld-txpower' }, [ this.text(
			_('TX power: this router\'s driver reports one value for the whole MLD (its default link) on every link; it is not a per-link reading.')) ]);
	},

	/* ---------------------------------------------------------------- API */
	call: function(method, args) {
		args = args || {};
		var keys = Object.keys(args);
		/* a transport or permission failure becomes the same result shape as a refused write,
		 * so every caller shows it instead of dropping a rejected promise */
		return declareCall(method, keys).apply(null, keys.map(function(k) { return args[k]; })).catch(function(e) {
			var denied = /Access denied|-32002|Permission denied/.test(String(e && e.message));
			return { ok: false, blocked: [], error: { code: denied ? 'access_denied' : 'rpc', field: null,
				message: denied ? _('This login may only read: ask an administrator to make this change.')
				                : _('The router did not answer: %s').format(String(e && e.message || e)) } };
		});
	},

	errorText: function(reply) {
		if (reply && reply.error && reply.error.message)
			return reply.error.message + (reply.error.field ? ' (' + reply.error.field + ')' : '')
				+ this.platformSuffix(reply.error);
		if (reply && reply.blocked && reply.blocked.length)
			return reply.blocked.map(function(b) { return b.message; }).join(' ');
		return _('The request failed.');
	},

	/* an `unsupported` refusal names the router (error.platform); its message usually does too */
	platformSuffix: function(err) {
		if (!err || !err.platform || String(err.message || '').indexOf(err.platform) >= 0) return '';
		return ' (' + err.platform + ')';
	},

	/* ---------------------------------------------------------------- formatting */
	bandLabel: function(b) { return BAND_LABEL[b] || b || '?'; },

	bandPill: function(b) {
		return E('span', { 'class': 'wm-pill wm-band-' + (b || 'x') }, [ this.bandLabel(b) ]);
	},

	statusDot: function(status) {
		var cls = { up: 'good', dfs: 'weak', acs: 'weak', scanning: 'weak', connecting: 'weak',
		            not_running: 'weak', disconnected: 'weak', disabled: 'off', locked: 'bad' }[status] || 'bad';
		return E('span', { 'class': 'wm-dot wm-' + cls, 'title': status });
	},

	statusLabel: function(status) {
		return {
			up: _('Active'), dfs: _('DFS check'), acs: _('Choosing channel'), scanning: _('Scanning'),
			connecting: _('Connecting'), disconnected: _('Disconnected'), disabled: _('Disabled'),
			not_running: _('Not running'), locked: _('Chip locked'), down: _('Down')
		}[status] || status;
	},

	genBadge: function(gen) {
		return gen ? E('span', { 'class': 'wm-badge wm-gen' + gen }, [ 'WiFi ' + gen ])
		           : E('span', { 'class': 'wm-badge' }, [ _('Legacy') ]);
	},

	signalBars: function(dbm, cls) {
		var n = { good: 4, fair: 3, weak: 2, bad: 1 }[cls] || 0;
		var bars = [];
		for (var i = 1; i <= 4; i++)
			bars.push(E('span', { 'class': 'wm-bar' + (i <= n ? ' on' : ''), 'style': 'height:%dpx'.format(2 + 3 * i) }));
		return E('span', { 'class': 'wm-signal wm-' + (cls || 'none'), 'title': dbm != null ? dbm + ' dBm' : _('no reading') }, [
			E('span', { 'class': 'wm-bars' }, bars), ' ', dbm != null ? '%d dBm'.format(dbm) : '—' ]);
	},

	mbps: function(br) {
		if (!br || br.mbps == null) return '—';
		return '%s Mbit/s'.format(br.mbps >= 100 ? Math.round(br.mbps) : br.mbps.toFixed(1));
	},

	rateDetail: function(br) {
		if (!br || !br.mode || br.mode == 'legacy') return '';
		return '%s MCS %s · %s NSS · %s MHz'.format(br.mode, br.mcs, br.nss, br.width_mhz);
	},

	duration: function(s) {
		if (s == null) return '—';
		if (s >= 3600) return '%dh %dm'.format(Math.floor(s / 3600), Math.floor(s / 60) % 60);
		if (s >= 60) return '%dm %ds'.format(Math.floor(s / 60), s % 60);
		return '%ds'.format(s);
	},

	/* ---------------------------------------------------------------- sparklines (values: the monitor's history) */
	sparkline: function(values, opts) {
		opts = opts || {};
		var w = opts.width || 140, h = opts.height || 28, lo = opts.min, hi = opts.max;
		var nums = values.filter(function(v) { return v != null; });
		if (lo == null) lo = Math.min.apply(null, nums.length ? nums : [0]);
		if (hi == null) hi = Math.max.apply(null, nums.length ? nums : [1]);
		if (hi == lo) hi = lo + 1;
		var n = values.length, pts = [], ns = 'http://www.w3.org/2000/svg';
		var svg = document.createElementNS(ns, 'svg');
		svg.setAttribute('class', 'wm-spark ' + (opts.cls || ''));
		svg.setAttribute('width', w); svg.setAttribute('height', h);
		svg.setAttribute('viewBox', '0 0 %d %d'.format(w, h));
		for (var i = 0; i < n; i++) {
			if (values[i] == null) continue;
			var x = n > 1 ? (i * (w - 2) / (n - 1)) + 1 : w / 2;
			var y = h - 2 - ((values[i] - lo) / (hi - lo)) * (h - 4);
			pts.push(x.toFixed(1) + ',' + y.toFixed(1));
		}
		var line = document.createElementNS(ns, 'polyline');
		line.setAttribute('points', pts.join(' '));
		svg.appendChild(line);
		var title = document.createElementNS(ns, 'title');
		title.textContent = opts.title || '';
		svg.appendChild(title);
		return svg;
	},

	/* ---------------------------------------------------------------- header */
	renderHeader: function(status, version) {
		var nodes = [];
		var ver = (version && version.version) || (status && status.version) || '?';
		nodes.push(E('div', { 'class': 'wm-title' }, [
			E('h2', {}, _('WiFi Manager')),
			E('span', { 'class': 'wm-version' }, [ 'luci-app-wifimgr ' + ver +
				((version && version.backend == 'twin') ? ' · ' + _('simulated router (twin)') : '') ]),
			(status && status.platform && status.platform.label)
				? E('span', { 'class': 'wm-platform', 'id': 'wm-platform', 'title': _('The router and firmware, as the router reports them') },
					[ this.text(status.platform.label) ]) : '',
			writable === false ? E('span', { 'class': 'label wm-readonly', 'title': this.readOnlyReason() }, [ _('read-only') ]) : ''
		]));
		if (writable === false) nodes.push(this.readOnlyNote());
		if (status && status.chip && status.chip.locked) {
			var written = status.chip.written, self0 = this;
			nodes.push(E('div', { 'class': 'alert-message error wm-locked', 'id': 'wm-locked' }, [
				E('h4', {}, _('WiFi chip locked — unplug the router for at least 15 minutes')),
				/* the write that locked it, and the restore — before the power-off instructions */
				written ? E('p', {}, [ this.text(_('It locked after this change was written to the wireless configuration:')) ]) : '',
				written ? E('ul', { 'id': 'wm-locked-written' }, (written.changes || []).map(function(c) { return E('li', {}, [ self0.text(c) ]); })) : '',
				(written && written.restore) ? E('p', {}, [ this.fixButton({ method: 'restore_good', args: {},
					label: _('Restore the last good configuration') }) ]) : '',
				E('p', {}, [ status.chip.recovery ]),
				E('pre', {}, [ (status.chip.evidence || []).join('\n') ])
			]));
		}
		var pend = status && status.config && status.config.pending;
		if (pend && pend.reboot) {
			nodes.push(E('div', { 'class': 'alert-message warning wm-pending', 'id': 'wm-pending' }, [
				E('span', {}, [ _('Changes are saved and take effect after a reboot: %s').format((pend.reasons || []).join('; ')) + ' ' ]),
				this.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-action', 'id': 'wm-reboot',
					'click': ui.createHandlerFn(this, 'rebootNow') }, _('Reboot')))
			]));
		}
		var country = status && status.country;
		if (country && country.confirmed === false) {
			nodes.push(E('div', { 'class': 'alert-message notice wm-country', 'id': 'wm-country-banner' }, [
				E('span', {}, [ country.message ]), ' ',
				this.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-action', 'id': 'wm-country-wizard',
					'click': ui.createHandlerFn(this, 'openWizard', 'country') }, [ _('Confirm or choose the country') ]))
			]));
		}
		var self = this, v = (status && status.config && status.config.violations) || [];
		var outside = status && status.config && status.config.outside;
		if (v.length) {
			nodes.push(E('div', { 'class': 'alert-message warning', 'id': 'wm-violations' }, [
				E('h4', {}, (outside && !outside.by_wifimgr) ? _('An unsafe wireless configuration was written outside WiFi Manager')
					: _('The current wireless configuration is unsafe')),
				E('ul', {}, v.map(function(x) { return E('li', {}, [ E('code', {}, [ x.rule ]), ' ', x.message,
					x.fix ? E('div', { 'class': 'wm-fix' }, [ self.fixButton(x.fix) ]) : '' ]); })),
				(outside && (outside.changes || []).length) ? E('details', {}, [ E('summary', {}, [ this.text(_('What was written')) ]),
					E('ul', {}, outside.changes.map(function(c) { return E('li', {}, [ self.text(c) ]); })) ]) : '',
				(outside && outside.restore) ? E('p', {}, [ this.fixButton({ method: 'restore_good', args: {},
					label: _('Restore the last good configuration') }) ]) : '',
				E('p', {}, _('Changes are refused until it is fixed; nothing will be applied by a reload.'))
			]));
		}
		var sec = (status && status.security) || [];
		if (sec.length) {
			nodes.push(E('div', { 'class': 'alert-message error', 'id': 'wm-published-key' }, [
				E('h4', {}, [ this.text(_('These networks use a publicly known key: anyone nearby can join')) ]),
				E('ul', {}, sec.map(function(f) { return E('li', {}, [ self.text('%s (%s)'.format(f.subject, f.ssid || '')) ]); })),
				this.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-positive', 'id': 'wm-new-key',
					'click': ui.createHandlerFn(this, 'rotateKeys', sec.map(function(f) { return f.subject; })) }, [ _('Set a new random key') ]))
			]));
		}
		var hb = this.healthBanner(status && status.health);
		if (hb) nodes.push(hb);
		((status && status.config && status.config.notes) || []).forEach(function(n) {
			nodes.push(E('div', { 'class': 'alert-message notice' }, [ n ]));
		});
		return E('div', { 'class': 'wm-header' }, nodes);
	},

	/* the apply health check: degraded now, or the last apply rolled back (what and why) */
	healthBanner: function(h) {
		var text = this.text;
		var last = (h && h.last) || {};
		if (h && h.state == 'degraded')
			return E('div', { 'class': 'alert-message error', 'id': 'wm-degraded' }, [
				E('h4', {}, [ text(_('Not everything came up')) ]),
				E('ul', {}, (h.missing || []).map(function(m) { return E('li', {}, [ text(m.message) ]); })),
				last.rollback_refused ? E('p', {}, [ text(_('Not rolled back:')), ' ', text(last.rollback_refused) ]) : '' ]);
		if (last.state == 'rolled_back' && h.state != 'checking')
			return E('div', { 'class': 'alert-message warning', 'id': 'wm-rolled-back' }, [
				E('h4', {}, [ text(_('The last change did not come up and was rolled back')) ]),
				E('p', {}, [ text(last.message) ]) ]);
		return null;
	},

	/* ---------------------------------------------------------------- polling
	 * One poll per tab: `fn(tick)` every PERIOD s (tick counts from 1; `this.slow(tick)` says
	 * whether the slower work is due), the header on the same poll. LuCI's poll keeps ticking
	 * while the browser tab is hidden (luci.js Poll.step has no notion of it): here nothing is
	 * called while `document.hidden`, and the tab catches up at once when it is shown again. */
	startPoll: function(fn) {
		var self = this, n = 0, busy = false, missed = false;
		var tick = function() {
			if (document.hidden) { missed = true; return; }
			if (busy) return;
			busy = true; n++;
			var jobs = [ fn ? Promise.resolve(fn(n)) : null ];
			if (n % HEADER_EVERY == 0) jobs.push(self.refreshHeader());
			return Promise.all(jobs).catch(function() {}).then(function() { busy = false; });
		};
		poll.add(tick, PERIOD);
		document.addEventListener('visibilitychange', function() {
			if (!document.hidden && missed) { missed = false; tick(); }
		});
		return tick;
	},

	slow: function(tick) { return tick % SLOW_EVERY == 0; },

	/* the header and its banners, again (on the tab's poll): replaced only when the status
	 * changed and the owner is not using one of its controls */
	refreshHeader: function() {
		var self = this;
		return this.call('status').then(function(st) {
			if (!st || st.ok === false) return;
			var key = JSON.stringify(Object.assign({}, st, { source: null, age: null }));
			var old = document.querySelector('.wm-header');
			self.lastStatus = st;
			self.statusListeners.forEach(function(f) { f(st); });
			if (!old || key === self.headerKey || old.contains(document.activeElement)) return;
			self.headerKey = key;
			old.parentNode.replaceChild(self.renderHeader(st, self.version), old);
		});
	},

	statusListeners: [],
	onStatus: function(f) { this.statusListeners.push(f); },

	/* the wizards require this module, so they are loaded on demand */
	openWizard: function(kind) {
		return L.require('wifimgr.wizards').then(function(w) { return w.open(kind); });
	},

	loadHeader: function() {
		var self = this;
		return Promise.all([ this.call('status'), this.call('version'), this.loadAccess() ]).then(function(r) {
			self.version = r[1];
			self.lastStatus = r[0];
			self.headerKey = JSON.stringify(Object.assign({}, r[0], { source: null, age: null }));
			return r;
		});
	},

	rebootNow: function() {
		var self = this;
		return this.call('reboot').then(function(r) {
			if (r && r.job) return self.showProgress(r.job, 'reboot');
			ui.addNotification(null, E('p', {}, [ self.errorText(r) ]), 'error');
		});
	},

	/* ---------------------------------------------------------------- write flow */
	verdictNodes: function(r) {
		var self = this, out = [];
		/* refused only because of what the configuration already breaks: say so, and offer
		 * the fix the backend checked (one click, judged like every other write) */
		if (r.requested_ok && r.message)
			out.push(E('div', { 'class': 'alert-message notice wm-requested-ok' }, [ r.message ]));
		(r.blocked || []).forEach(function(b) {
			out.push(E('div', { 'class': 'alert-message error wm-blocked' }, [
				E('strong', {}, [ b.rule ]), ': ', b.message,
				b.preexisting ? E('em', {}, [ ' ' + _('(already in the current configuration — fix that first)') ]) : '',
				b.fix ? E('div', { 'class': 'wm-fix' }, [ self.fixButton(b.fix) ]) : '' ]));
		});
		if (r.error && r.error.code == 'unsupported')
			out.push(E('div', { 'class': 'alert-message error wm-error wm-unsupported', 'data-capability': r.error.capability || '' }, [
				E('strong', {}, [ this.text(_('Not supported on this router')) ]), ': ',
				this.text(r.error.message), this.text(this.platformSuffix(r.error)) ]));
		else if (r.error)
			out.push(E('div', { 'class': 'alert-message error wm-error' }, [ E('strong', {}, [ r.error.field || r.error.code ]), ': ', r.error.message ]));
		if (!r.ok && r.chip_locked)
			(r.warnings || []).slice(0, 1).forEach(function(w) { out.push(E('div', { 'class': 'alert-message warning wm-locked-warning' }, [ w ])); });
		if (r.ok) {
			var how = { none: _('Nothing changes.'), reload: _('Applied with a WiFi reload (a few seconds).'),
			            reboot: _('Applied by rebooting the router (about a minute).') }[r.apply];
			out.push(E('div', { 'class': 'alert-message ' + (r.apply == 'reboot' ? 'warning' : 'notice') + ' wm-apply' }, [
				E('strong', {}, [ how ]), (r.reasons && r.reasons.length) ? E('p', {}, [ _('Reboot because it %s').format(r.reasons.join('; ')) ]) : '' ]));
			if (r.cac_s)
				out.push(E('div', { 'class': 'alert-message notice wm-cac' },
					[ _('DFS channel: the 5 GHz AP starts only after a %d s radar check (CAC).').format(r.cac_s) ]));
			var advised = (r.advisories || []).map(function(a) { return a.message; });
			(r.warnings || []).forEach(function(w) {
				if (advised.indexOf(w) < 0)
					out.push(E('div', { 'class': 'alert-message warning' + (w == (r.chip_locked && r.warnings[0]) ? ' wm-locked-warning' : '') }, [ w ]));
			});
			(r.advisories || []).forEach(function(a) {
				out.push(E('div', { 'class': 'alert-message warning wm-advisory', 'data-rule': a.rule }, [
					E('strong', {}, [ a.rule ]), ': ', a.message,
					(a.fixes || []).length ? E('div', { 'class': 'wm-fix' }, a.fixes.map(function(f) { return self.fixButton(f); })) : '' ]));
			});
			if (r.changes && r.changes.length)
				out.push(E('details', {}, [ E('summary', {}, [ N_(r.changes.length, '%d configuration change', '%d configuration changes').format(r.changes.length) ]),
					E('pre', { 'class': 'wm-changes' }, [ r.changes.map(function(c) {
						return [ c.op, [ c.config, c.section, c.option ].filter(function(x) { return x; }).join('.'),
						         c.value !== undefined ? '= ' + JSON.stringify(c.value) : '' ].join(' ');
					}).join('\n') ]) ]));
		}
		return out;
	},

	/* one new random key for the networks with a publicly known key; the key is shown once,
	 * with a download, before the apply runs (a reboot would lose it) */
	rotateKeys: function(sections) {
		var self = this;
		return this.submit('key_rotate', { sections: sections }, { title: _('Set a new random key'),
			onOk: function(res) { return self.showKeyOnce(res.key, res.rotated || []); } });
	},

	showKeyOnce: function(key, sections) {
		var self = this;
		if (!key) return Promise.resolve();
		var blob = new Blob([ key + '\n' ], { type: 'text/plain' });
		return new Promise(function(resolve) {
			ui.showModal(_('Your new WiFi key'), [
				E('p', {}, [ self.text(_('Networks: %s').format(sections.join(', '))) ]),
				E('pre', { 'id': 'wm-new-key-value', 'class': 'wm-key' }, [ self.text(key) ]),
				E('p', {}, [ self.text(_('It is shown only now. Write it down or download it, then reconnect your devices with it.')) ]),
				E('div', { 'class': 'right' }, [
					E('a', { 'class': 'btn', 'id': 'wm-new-key-download', 'download': 'wifi-key.txt',
						'href': URL.createObjectURL(blob) }, [ _('Download') ]), ' ',
					E('button', { 'class': 'btn cbi-button cbi-button-positive', 'id': 'wm-new-key-done',
						'click': function() { ui.hideModal(); resolve(); } }, [ _('I have saved it') ]) ]) ]);
		});
	},

	/* a fix the backend offers ({method, args, label}): one click runs it through the usual
	 * dry run → verdict → confirm flow; `advise` first asks the channel advisor */
	fixButton: function(fix) {
		return this.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-action wm-fix-button',
			'data-method': fix.method, 'click': ui.createHandlerFn(this, 'applyFix', fix) }, [ fix.label ]));
	},

	applyFix: function(fix) {
		var self = this;
		if (fix.method != 'advise')
			return this.submit(fix.method, fix.args, { title: fix.label });
		return this.call('advise', fix.args).then(function(a) {
			var top = ((a && a.top) || [])[0];
			if (!top) {
				ui.addNotification(null, E('p', {}, [ self.errorText(a) ]), 'error');
				return;
			}
			return self.submit('radio_set', { radio: fix.args.radio, channel: String(top.channel) },
				{ title: _('Set %s to channel %s (the channel advisor’s best)').format(fix.args.radio, top.channel) });
		});
	},

	/* Dry run first; show the verdict; apply on confirmation. `target` receives inline errors
	 * when given (wizards), else a modal is used. Resolves with the final reply or null. */
	submit: function(method, args, opts) {
		var self = this;
		opts = opts || {};
		var dry = Object.assign({}, args, { dry_run: true });
		return this.call(method, dry).then(function(r) {
			if (!r.ok) {
				if (opts.target) dom.content(opts.target, self.verdictNodes(r));
				else ui.showModal([ opts.title || _('Not possible') ], self.verdictNodes(r).concat([
					E('div', { 'class': 'right' }, E('button', { 'class': 'btn wm-read', 'click': ui.hideModal }, _('Close'))) ]));
				return null;
			}
			return new Promise(function(resolve) {
				ui.showModal([ opts.title || _('Apply this change?') ], self.verdictNodes(r).concat([
					E('div', { 'class': 'right' }, [
						E('button', { 'class': 'btn wm-read', 'click': function() { ui.hideModal(); resolve(null); } }, _('Cancel')), ' ',
						self.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-positive', 'id': 'wm-confirm', 'click': function() {
							self.call(method, args).then(function(res) {
								if (!res.ok) {
									ui.showModal(_('Refused'), self.verdictNodes(res).concat([
										E('div', { 'class': 'right' }, E('button', { 'class': 'btn wm-read', 'click': ui.hideModal }, _('Close'))) ]));
									return resolve(res);
								}
								var after = opts.onOk ? Promise.resolve(opts.onOk(res)) : Promise.resolve();
								return after.then(function() {
									if (res.job) return self.showProgress(res.job, res.apply).then(function() { resolve(res); });
									ui.hideModal();
									resolve(res);
								});
							});
						} }, [ r.apply == 'reboot' ? _('Apply & reboot') : _('Apply') ]))
					])
				]));
			});
		});
	},

	showProgress: function(job, method) {
		var self = this, started = Date.now();
		var bar = E('div', { 'class': 'wm-progress' }, E('div', { 'class': 'wm-progress-bar', 'style': 'width:10%' }));
		var msg = E('p', { 'id': 'wm-progress-msg' }, [ method == 'reboot' ? _('Rebooting…') : _('Reloading WiFi…') ]);
		ui.showModal(_('Applying'), [ bar, msg ]);
		return new Promise(function(resolve) {
			var tick = function() {
				self.call('apply_status', { job: job }).then(function(st) {
					var pct = { queued: 10, rebooting: 30, booting: 55, waiting: 70, cac: 85, done: 100, failed: 100 }[st.phase] || 40;
					bar.firstChild.style.width = pct + '%';
					dom.content(msg, [ (st.message || st.phase || '') + ' (%ds)'.format(Math.round((Date.now() - started) / 1000)) ]);
					var hs = st.health && st.health.state;
					if (hs == 'rolled_back' || hs == 'degraded')
						dom.content(msg, [ st.health.message || '' ]);
					if (st.phase == 'done' || st.phase == 'failed' || hs == 'rolled_back' || hs == 'degraded') {
						var failed = st.phase == 'failed' || hs == 'rolled_back' || hs == 'degraded';
						bar.classList.add(failed ? 'failed' : 'ok');
						dom.append(msg.parentNode, E('div', { 'class': 'right' }, E('button', { 'class': 'btn wm-read', 'id': 'wm-progress-close',
							'click': function() { ui.hideModal(); location.reload(); } }, _('Close'))));
						return resolve(st);
					}
					window.setTimeout(tick, 2000);
				}).catch(function() { window.setTimeout(tick, 3000); });
			};
			window.setTimeout(tick, 500);
		});
	}
});
