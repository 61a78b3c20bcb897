'use strict';
'require view';
'require ui';
'require dom';
'require wifimgr.common as wm';
'require wifimgr.wizards as wizards';

/* luci-app-wifimgr: Link Policy — the MLO link steering daemon (start/stop with its PID), the
 * mode (Auto / All links / 5G only / Off), the thresholds, the AP MLD's links with noise, busy
 * and the A-TTLM on air, the MLO clients with their EMLSR/MLMR class and Neg-TTLM map per access
 * category, and the daemon's log. Only meaningful with an MLO AP. */

var MODES = [ [ 'auto', _('Auto'), _('score-based steering') ], [ 'all_on', _('All links'), _('never switch a link off') ],
              [ '5g_only', _('5G only'), _('every link but 5 GHz off, 2.4 GHz too') ], [ 'off', _('Off'), _('no steering') ] ];
var KIND = { legacy: _('legacy'), mlsr: 'MLSR', emlsr: 'EMLSR', emlmr: 'EMLMR', mlmr: 'MLMR' };
/* TID → access category (802.11 UP mapping) */
var AC = [ [ 'BE', [ 0, 3 ] ], [ 'BK', [ 1, 2 ] ], [ 'VI', [ 4, 5 ] ], [ 'VO', [ 6, 7 ] ] ];
var BASIC = [ 'enabled', 'mode', 'population', 'multi_radio_vote' ];

/* a backend value as a text node (wm.text): a bare string child of E() would be parsed as markup */
function txt(v) { return wm.text(v == null || v === '' ? '—' : v); }
function pill(band) { return E('span', { 'class': 'wm-pill wm-band-' + String(band).replace(/[^0-9a-z]/g, '') }, [ txt(wm.bandLabel(band)) ]); }

return view.extend({
	load: function() {
		return Promise.all([ wm.loadHeader(), wm.call('linkpolicy') ]);
	},

	/* why this router cannot steer links (its WiFi stack lacks A-TTLM / Neg-TTLM), or null:
	 * then every control that starts or configures steering is disabled with this reason */
	lacking: function(lp) { return wm.unavailable(lp.feature); },

	daemonSection: function(lp) {
		var d = lp.daemon || {}, lacking = this.lacking(lp);
		var act = function(action) {
			return function() {
				return wm.call('steering_daemon', { action: action }).then(function(r) {
					if (!r.ok) return ui.addNotification(null, E('p', {}, [ wm.errorText(r) ]), 'error');
					location.reload();
				});
			};
		};
		return E('div', { 'class': 'cbi-section', 'id': 'wm-daemon' }, [
			E('h3', {}, _('Steering daemon')),
			E('p', {}, [ wm.statusDot(d.running ? 'up' : 'disabled'),
				E('strong', { 'id': 'wm-daemon-state' }, [ d.running ? _('Running (PID %d)').format(d.pid) : _('Stopped') ]),
				d.running && d.status && d.status != 'running' ? E('span', { 'class': 'wm-note' }, [ ' — ' + String(d.status).replace('_', ' ') ]) : '' ]),
			E('div', { 'class': 'wm-toolbar' }, [
				wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-positive', 'id': 'wm-daemon-start', 'disabled': d.running ? 'disabled' : null,
				              'click': ui.createHandlerFn(this, act('start')) }, _('Start')), lacking),
				wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-negative', 'id': 'wm-daemon-stop', 'disabled': d.running ? null : 'disabled',
				              'click': ui.createHandlerFn(this, act('stop')) }, _('Stop'))),
				wm.writeControl(E('button', { 'class': 'btn', 'id': 'wm-daemon-restart', 'disabled': d.running ? null : 'disabled',
				              'click': ui.createHandlerFn(this, act('restart')) }, _('Restart')), lacking),
				E('span', { 'class': 'wm-note' }, _('Start also starts it at boot; Stop also keeps it off after a reboot.'))
			])
		]);
	},

	/* Resolves with the reply when the change was saved, with null when it was refused (the
	 * refusal is shown and stays: callers reload only on success). */
	save: function(values) {
		return wm.call('steering_set', { values: values }).then(function(r) {
			if (!r || !r.ok) {
				ui.addNotification(null, E('p', { 'class': 'wm-refused' }, [ wm.errorText(r) ]), 'error');
				return null;
			}
			ui.addNotification(null, E('p', {}, _('Saved — the daemon picks it up on its next cycle.')), 'info');
			return r;
		});
	},

	modeSection: function(lp) {
		var self = this, cfg = lp.config || {}, lacking = this.lacking(lp);
		return E('div', { 'class': 'cbi-section', 'id': 'wm-mode' }, [
			E('h3', {}, _('Mode')),
			E('div', { 'class': 'wm-toolbar' }, MODES.map(function(m) {
				return wm.writeControl(E('button', { 'class': 'btn' + (cfg.mode == m[0] ? ' cbi-button-action' : ''), 'data-mode': m[0], 'title': m[2],
					'click': ui.createHandlerFn(self, function() { return self.save({ mode: m[0] }).then(function(r) { if (r) location.reload(); }); }) }, [ m[1] ]), lacking);
			})),
			E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Who may switch a band off for everyone')),
				E('div', { 'class': 'cbi-value-field' }, [
					wm.writeControl(E('select', { 'id': 'wm-population', 'class': 'wm-wide-select', 'change': function(ev) { return self.save({ population: ev.target.value }); } },
						(lp.populations || []).map(function(p) {
							return E('option', { 'value': p, 'selected': p == cfg.population ? 'selected' : null },
								[ { all: _('all A-TTLM clients agree'), majority: _('a majority of them'), none: _('nobody (never A-TTLM)') }[p] || p ]);
						})), lacking),
					E('div', { 'class': 'wm-note' }, _('A client votes on a band it used within the last seconds, also while it re-associates.')) ]) ]),
			E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Multi-radio clients keep a band on')),
				E('div', { 'class': 'cbi-value-field' }, [
					wm.writeControl(E('select', { 'id': 'wm-multi-radio-vote', 'class': 'wm-wide-select', 'change': function(ev) { return self.save({ multi_radio_vote: ev.target.value }); } },
						[ [ 'last_link', _('only when it is their last usable link') ], [ 'member', _('whenever they use it well (they vote like any client)') ] ].map(function(o) {
							return E('option', { 'value': o[0], 'selected': o[0] == cfg.multi_radio_vote ? 'selected' : null }, [ o[1] ]);
						})), lacking),
					E('div', { 'class': 'wm-note' }, _('A switch-off costs a multi-radio client that keeps another usable link only throughput; it gives a stuck client a usable link.')) ]) ])
		]);
	},

	/* the last A-TTLM blocks: who voted for each, and who paid (lost a link it used well) */
	blocksSection: function(lp) {
		var blocks = lp.blocks || [];
		var when = function(s) { return s != null ? new Date(s * 1000).toLocaleTimeString() : null; };
		var more = function(n) { return n ? [ ' ', txt(_('and %d more').format(n)) ] : []; };
		return E('div', { 'class': 'cbi-section', 'id': 'wm-blocks' }, [
			E('h3', {}, _('Bands switched off for everyone')),
			blocks.length ? E('div', { 'class': 'table' }, [
				E('div', { 'class': 'tr' }, [ _('From'), _('Until'), _('Bands'), _('Voted for it'), _('Paid (lost a link it used well)') ]
					.map(function(h) { return E('div', { 'class': 'th' }, [ h ]); }))
			].concat(blocks.map(function(b) {
				var bands = Object.keys(b.voted || {});
				return E('div', { 'class': 'tr wm-block' }, [
					E('div', { 'class': 'td' }, [ txt(when(b.start)) ]),
					E('div', { 'class': 'td' }, [ txt(when(b.ended != null ? b.ended : b.end)) ]),
					E('div', { 'class': 'td' }, (b.bands || []).map(pill)),
					E('div', { 'class': 'td wm-voted' }, bands.length ? bands.map(function(band) {
						var rule = (b.rules || {})[band], readings = (b.readings || {})[band] || [];
						return E('div', { 'data-band': band }, [ pill(band), ' ', txt((b.voted[band] || []).join(', ') || b.reason),
							rule ? E('div', { 'class': 'wm-note wm-rule' }, [ txt(_('rule: %s').format(rule)) ]) : '' ].concat(readings.map(function(r) {
								return E('div', { 'class': 'wm-note wm-reading' }, [ E('code', {}, [ txt(r.mac) ]), ' ', txt(r.why) ]);
							})));
					}).concat(more(b.voted_more)) : [ txt(b.reason) ]),
					E('div', { 'class': 'td wm-paid' }, (b.paid || []).length ? (b.paid || []).map(function(p) {
						return E('div', {}, [ E('code', {}, [ txt(p.mac) ]), ' ', pill(p.band), ' ', txt(_('%s, SNR %s dB').format(p.verdict, p.snr_db)) ]);
					}).concat(more(b.paid_more)) : [ txt(_('nobody')) ])
				]);
			}))) : E('p', { 'class': 'wm-note' }, _('No band was switched off for everyone while the daemon ran.'))
		]);
	},

	/* why each band went off, stays on or waits in the daemon's last cycle: the rule, who voted
	 * (with the reading and the rule that judged it) and who vetoed it, and why */
	whySection: function(lp) {
		var ex = (lp.live && lp.live.decision && lp.live.decision.explain) || [];
		var DEC = { off: _('switched off for everyone'), on: _('switched on again'), 'stays on': _('stays on'), waits: _('waits') };
		function who(list) {
			return list.length ? list.map(function(v) {
				return E('div', { 'class': 'wm-why-entry' }, [ E('code', {}, [ txt(v.mac) ]), ' ',
					txt(v.verdict ? _('%s: %s').format(v.verdict, v.why) : v.why),
					v.rule ? E('span', { 'class': 'wm-note' }, [ ' ', txt(_('(rule: %s)').format(v.rule)) ]) : '' ]);
			}) : [ txt(_('nobody')) ];
		}
		return E('div', { 'class': 'cbi-section', 'id': 'wm-why' }, [
			E('h3', {}, _('Why: the last cycle\'s decisions')),
			ex.length ? E('div', { 'class': 'table' }, [
				E('div', { 'class': 'tr' }, [ _('Band'), _('Decision'), _('Rule'), _('Voted (reading, rule)'), _('Vetoed (why)') ]
					.map(function(h) { return E('div', { 'class': 'th' }, [ h ]); }))
			].concat(ex.map(function(e) {
				return E('div', { 'class': 'tr wm-why-row', 'data-band': e.band }, [
					E('div', { 'class': 'td' }, [ pill(e.band) ]),
					E('div', { 'class': 'td' }, [ txt(DEC[e.decision] || e.decision) ]),
					E('div', { 'class': 'td' }, [ txt(e.rule) ]),
					E('div', { 'class': 'td' }, who(e.voted || [])),
					E('div', { 'class': 'td' }, who(e.vetoed || [])) ]);
			}))) : E('p', { 'class': 'wm-note' }, (lp.daemon && lp.daemon.running)
				? _('Nothing to decide in the last cycle: no band had confirmed bad readings.')
				: _('The daemon is stopped: there is no decision to explain.'))
		]);
	},

	thresholdsSection: function(lp) {
		var self = this, lacking = this.lacking(lp);
		var opts = (lp.options || []).filter(function(o) { return BASIC.indexOf(o.name) < 0; });
		var rows = opts.map(function(o) {
			var input = wm.writeControl(o.type == 'bool'
				? E('input', { 'type': 'checkbox', 'name': o.name, 'id': 'wm-opt-' + o.name, 'checked': o.value ? 'checked' : null })
				: E('input', { 'type': 'number', 'name': o.name, 'id': 'wm-opt-' + o.name, 'value': o.value, 'min': o.min, 'max': o.max, 'step': 1 }), lacking);
			return E('div', { 'class': 'cbi-value' }, [
				E('label', { 'class': 'cbi-value-title', 'for': 'wm-opt-' + o.name }, [ o.name ]),
				E('div', { 'class': 'cbi-value-field' }, [ input, o.unit ? ' ' + o.unit : '',
					E('div', { 'class': 'wm-note' }, [ (o.doc || '') + (o.value !== o.default ? ' ' + _('(default %s)').format(String(o.default)) : '') ]) ]) ]);
		});
		var form = E('div', { 'class': 'wm-form', 'id': 'wm-thresholds' }, rows);
		var apply = function() {
			var values = {};
			opts.forEach(function(o) {
				var el = form.querySelector('[name="%s"]'.format(o.name));
				var v = o.type == 'bool' ? el.checked : (el.value === '' ? null : +el.value);
				if (v !== o.value) values[o.name] = v;
			});
			if (!Object.keys(values).length) return Promise.resolve();
			return self.save(values).then(function(r) { if (r) location.reload(); });
		};
		return E('div', { 'class': 'cbi-section' }, [
			E('details', { 'id': 'wm-thresholds-box' }, [ E('summary', {}, [ _('Thresholds and timers (%d options)').format(opts.length) ]),
				lp.config_error ? E('div', { 'class': 'alert-message error' }, [ lp.config_error.message ]) : '',
				form,
				E('div', { 'class': 'right' }, [ wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-positive', 'id': 'wm-thresholds-save',
					'click': ui.createHandlerFn(this, apply) }, _('Save thresholds')), lacking) ]) ])
		]);
	},

	linksSection: function(lp) {
		var off = (lp.attlm && lp.attlm.active) ? (lp.attlm.disabled_bands || []) : [];
		return E('div', { 'class': 'cbi-section', 'id': 'wm-links' }, [
			E('h3', {}, [ _('Links of %s').format(lp.mlo_ap) ]),
			E('div', { 'class': 'table' }, [
				E('div', { 'class': 'tr' }, [ _('Link'), _('Band'), _('Channel'), _('Noise'), _('Busy'), _('Advertised') ]
					.map(function(h) { return E('div', { 'class': 'th' }, [ h ]); }))
			].concat((lp.links || []).map(function(l) {
				var isOff = off.indexOf(l.band) >= 0;
				return E('div', { 'class': 'tr', 'data-band': l.band }, [
					E('div', { 'class': 'td' }, [ 'L' + l.link_id ]),
					E('div', { 'class': 'td' }, wm.bandPill(l.band)),
					E('div', { 'class': 'td' }, [ l.channel ]),
					E('div', { 'class': 'td' }, [ l.noise_dbm != null ? l.noise_dbm + ' dBm' : '—' ]),
					E('div', { 'class': 'td' }, [ l.busy_pct != null ? l.busy_pct + ' %' : '—' ]),
					E('div', { 'class': 'td' }, isOff ? E('span', { 'class': 'wm-bad' }, _('off (A-TTLM)')) : E('span', { 'class': 'wm-good' }, _('on')))
				]);
			}))),
			E('p', { 'class': 'wm-note', 'id': 'wm-attlm' }, [ (lp.attlm && lp.attlm.active)
				? _('A-TTLM on air: %s switched off for every client, %d s left; its end is the re-enable probe.').format(off.join(', '), Math.round((lp.attlm.remaining_ms || 0) / 1000))
				: _('No A-TTLM on air: every link is advertised.') ])
		]);
	},

	/* TID maps (8 entries of link bits) → per access category the bands it may use */
	acCells: function(maps, links) {
		if (!maps) return E('span', { 'class': 'wm-note' }, _('default (all links)'));
		var band = {};
		(links || []).forEach(function(l) { band[l.link_id] = l.band; });
		return E('span', {}, AC.map(function(ac) {
			var m = maps[ac[1][0]];
			var names = Object.keys(band).filter(function(id) { return (m >> id) & 1; }).map(function(id) { return wm.bandLabel(band[id]); });
			return E('span', { 'class': 'wm-badge', 'title': 'TID ' + ac[1].join('/') }, [ ac[0] + ': ' + (names.join(' + ') || '—') ]);
		}));
	},

	clientsSection: function(lp) {
		var self = this;
		var views = {};
		((lp.live && lp.live.decision && lp.live.decision.stations) || []).forEach(function(s) { views[s.mac] = s; });
		var list = lp.clients || [];
		return E('div', { 'class': 'cbi-section', 'id': 'wm-mlo-clients' }, [
			E('h3', {}, [ _('MLO clients (%d)').format(list.length) ]),
			list.length ? E('div', { 'class': 'table' }, [
				E('div', { 'class': 'tr' }, [ _('Client'), _('Type'), _('Per-link signal'), _('Steered by'), _('Neg-TTLM per AC') ]
					.map(function(h) { return E('div', { 'class': 'th' }, [ h ]); }))
			].concat(list.map(function(c) {
				var v = views[c.mac] || {};
				return E('div', { 'class': 'tr', 'data-mac': c.mac }, [
					E('div', { 'class': 'td' }, [ c.hostname ? E('strong', { 'class': 'wm-hostname' }, [ c.hostname ]) : '', c.hostname ? ' ' : '', E('code', {}, [ c.mac ]) ]),
					E('div', { 'class': 'td' }, E('span', { 'class': 'wm-kind' }, [ KIND[v.kind || c.type] || c.type ])),
					E('div', { 'class': 'td' }, c.links.map(function(l) {
						return E('div', {}, [ wm.bandPill(l.band), l.active ? wm.signalBars(l.signal_dbm, l.signal_class) : E('span', { 'class': 'wm-note' }, _('idle')) ]);
					})),
					E('div', { 'class': 'td' }, [ v.steer ? ({ neg_ttlm: _('own map (Neg-TTLM)'), attlm: _('band switch (A-TTLM)'), none: _('never steered') }[v.steer] || v.steer)
						+ (v.neg_ttlm && v.neg_ttlm != 'n/a' ? ' · ' + v.neg_ttlm : '') : E('span', { 'class': 'wm-note' }, _('daemon stopped')) ]),
					E('div', { 'class': 'td' }, self.acCells(v.tid_maps, lp.links))
				]);
			}))) : E('p', { 'class': 'wm-note' }, _('No MLO client is connected.'))
		]);
	},

	logSection: function(lp) {
		return E('div', { 'class': 'cbi-section' }, [
			E('h3', {}, [ _('Daemon log (last %d lines)').format((lp.log || []).length) ]),
			E('pre', { 'class': 'wm-log', 'id': 'wm-steer-log' }, [ (lp.log || []).join('\n') || _('(empty)') ])
		]);
	},

	/* a stack without A-TTLM / Neg-TTLM (upstream hostapd has neither): say so first; what the
	 * router reports stays readable below */
	lackingNote: function(lp) {
		if (!this.lacking(lp)) return '';
		var note = wm.lackingNote(lp.feature, _('Link steering is not available on this router'));
		note.id = 'wm-lp-lacking';
		note.appendChild(E('p', {}, [ wm.text(_('The steering daemon does not start here, and its settings cannot be changed. What the router reports is shown below.')) ]));
		return note;
	},

	body: function(lp) {
		if (!lp.mlo_ap) {
			var conf = lp.mlo_ap_configured || [];
			return E('div', {}, [ this.lackingNote(lp),
				E('div', { 'class': 'cbi-section', 'id': 'wm-no-mld' }, conf.length
					? [ E('p', {}, [ _('The MLO access point %s is configured but not up yet — the router is booting or applying a change. This page fills in when its links are up.').format(conf.join(', ')) ]) ]
					: [ E('p', {}, _('Link steering works on the links of an MLO access point, and none is configured.')),
					    wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-action', 'id': 'wm-create-mld', 'click': function() { return wizards.open('mlo_ap'); } }, _('Create an MLO AP…'))) ]),
				this.daemonSection(lp), this.modeSection(lp), this.thresholdsSection(lp), this.logSection(lp)
			]);
		}
		return E('div', {}, [ this.lackingNote(lp), this.daemonSection(lp), this.modeSection(lp), this.linksSection(lp), this.blocksSection(lp), this.whySection(lp), this.clientsSection(lp),
			this.thresholdsSection(lp), this.logSection(lp) ]);
	},

	render: function(data) {
		var self = this, lp = data[1];
		var holder = E('div', { 'id': 'wm-linkpolicy' }, this.body(lp));
		/* the owner may start editing while a poll is on its way: look again before replacing */
		var editing = function() {
			return document.querySelector('#wm-linkpolicy input:focus, #wm-linkpolicy select:focus, #wm-thresholds-box[open]');
		};
		wm.startPoll(function() {
			if (editing()) return;
			return wm.call('linkpolicy').then(function(n) { if (!editing()) dom.content(holder, self.body(n)); });
		});
		return E('div', {}, [ wm.renderHeader(data[0][0], data[0][1]), holder ]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
