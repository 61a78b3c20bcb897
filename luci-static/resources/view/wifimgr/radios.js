'use strict';
'require view';
'require ui';
'require dom';
'require wifimgr.common as wm';
'require wifimgr.wizards as wizards';
'require wifimgr.history as wmh';

/* luci-app-wifimgr: Radios — channel, width, enable, country, TX power mode and values (with
 * what the driver really uses), the channel advisor, preamble puncturing, DFS progress, and
 * sparklines of utilisation, noise and temperature (the monitor's last hour, `history`). */

var MODE_LABEL = { regdb: _('Regulatory (country power table)'), efuse_max: _('eFuse maximum (ignores the country)'),
                   manual: _('Manual (per-radio dBm cap)') };
/* the feature of the capability map a TX power mode needs (model/capabilities.py FEATURES) */
var MODE_FEATURE = { efuse_max: 'txpower_efuse' };
/* a width only some chips have: the feature that says whether this one does */
function widthFeature(h) { return /320/.test(h) ? 'eht_320' : null; }

return view.extend({
	load: function() {
		return Promise.all([ wm.loadHeader(), wm.call('radios'), wmh.load('radio') ]);
	},

	hist: {},

	sparks: function(r) {
		var s = this.hist[r.name];
		/* 6 GHz with MBSSID has no utilisation reading (>100 %): its busy time then */
		var util = wmh.column(s, 'util_pct').some(function(v) { return v != null; }) ? 'util_pct' : 'busy_pct';
		return E('div', { 'class': 'wm-sparks' }, [
			wmh.sparkRow(util == 'util_pct' ? _('Utilisation') : _('Busy'), s, util, { cls: 'util', min: 0, max: 100, title: _('channel utilisation %') }, '%'),
			wmh.sparkRow(_('Noise'), s, 'noise_dbm', { cls: 'noise', title: _('noise floor dBm') }, 'dBm'),
			wmh.sparkRow(_('Temperature'), s, 'temp_c', { cls: 'temp', title: '°C' }, '°C')
		]);
	},

	applyRadio: function(r, card) {
		var args = { radio: r.name };
		var ch = card.querySelector('[name=channel]').value, ht = card.querySelector('[name=htmode]').value;
		var dis = card.querySelector('[name=disabled]').checked;
		if (ch != r.config.channel) args.channel = ch;
		if (ht != r.config.htmode) args.htmode = ht;
		if (dis != r.disabled) args.disabled = dis;
		if (Object.keys(args).length == 1) return Promise.resolve();
		return wm.submit('radio_set', args, { title: _('Change %s').format(r.name) });
	},

	advise: function(r, card) {
		var out = card.querySelector('.wm-advice');
		dom.content(out, E('span', { 'class': 'spinning' }, _('Scanning channels…')));
		return wm.call('advise', { radio: r.name }).then(function(a) {
			if (!a.top) return dom.content(out, E('span', { 'class': 'wm-bad' }, [ wm.errorText(a) ]));
			dom.content(out, [ E('span', { 'class': 'wm-note' }, [ _('%d networks seen. Best channels:').format(a.networks_seen || 0) + ' ' ]) ]
				.concat(a.top.map(function(c) {
					return wm.writeControl(E('button', { 'class': 'btn wm-advice-ch ' + c['class'], 'title': (c.reasons || []).join('\n'),
						'data-channel': c.channel, 'click': function() {
							return wm.submit('radio_set', { radio: r.name, channel: String(c.channel) },
								{ title: _('Use channel %d on %s?').format(c.channel, r.name) });
						} }, [ _('ch %d').format(c.channel) + (c.dfs ? ' (DFS)' : '') ]));
				})));
		});
	},

	puncturing: function(r) {
		var p = r.puncture;
		if (!p || !p.supported) return '';
		var bitmap = p.bitmap || 0, cells = [], allowed = p.allowed || [];
		var ok = function(b) { return b === 0 || allowed.indexOf(b) >= 0; };
		/* a click toggles one 20 MHz cell, or its aligned pair where the width only allows pairs */
		var next = function(i) {
			var tries = [ bitmap ^ (1 << i), bitmap ^ (3 << (i & ~1)) ];
			for (var k = 0; k < tries.length; k++) if (ok(tries[k])) return tries[k];
			return null;
		};
		var modeSel = wm.writeControl(E('select', { 'name': 'pp_mode', 'id': 'wm-ppmode-' + r.name, 'change': function(ev) {
			return wm.submit('puncture_set', { radio: r.name, mode: ev.target.value }, { title: _('Puncturing on %s').format(r.name) });
		} }, [ [ 'off', _('Off') ], [ 'auto', _('Automatic (firmware)') ], [ 'manual', _('Manual') ] ].map(function(m) {
			return E('option', { 'value': m[0], 'selected': m[0] == p.mode ? 'selected' : null }, [ m[1] ]);
		})));
		(p.subchannels || []).forEach(function(ch, i) {
			var primary = (i == p.primary_index), target = primary ? null : next(i);
			var punctured = (bitmap >> i) & 1;
			cells.push(wm.writeControl(E('button', {
				'class': 'btn wm-cell ' + (punctured ? 'off' : 'on') + (primary ? ' primary' : ''),
				'data-index': i, 'data-channel': ch,
				'title': primary ? _('channel %d: the primary 20 MHz — never punctured').format(ch)
				       : target == null ? _('channel %d — not a pattern 802.11be allows with the current selection').format(ch)
				       : _('channel %d: click to %s').format(ch, punctured ? _('use it again') : _('puncture it')),
				'disabled': (primary || target == null) ? 'disabled' : null,
				'click': function() {
					return wm.submit('puncture_set', { radio: r.name, bitmap: target },
						{ title: _('Puncturing on %s').format(r.name) });
				} }, [ String(ch) ])));
		});
		return E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Puncturing')),
			E('div', { 'class': 'cbi-value-field' }, [ modeSel,
				E('div', { 'class': 'wm-punct', 'id': 'wm-punct-' + r.name }, cells),
				E('div', { 'class': 'wm-note' }, [ cells.length ? _('Green: in use, red: punctured, outlined: primary — %s.').format(p.description || '')
				                                               : (p.reason || '') ]) ]) ]);
	},

	dfs: function(r) {
		var d = r.dfs;
		if (!d || r.band != '5g' || d.state == 'none' || d.state == 'auto') return '';
		if (d.state == 'cac')
			return E('div', { 'class': 'alert-message notice wm-dfs', 'data-state': 'cac' }, [
				_('DFS radar check (CAC): %d s of %d s left — the 5 GHz AP starts when it ends.').format(d.cac_left_s || 0, d.cac_s || 0),
				E('div', { 'class': 'wm-progress' }, E('div', { 'class': 'wm-progress-bar', 'style': 'width:%d%%'.format(d.progress_pct || 0) })) ]);
		return E('div', { 'class': 'wm-note wm-dfs', 'data-state': d.state },
			[ d.state == 'active' ? _('DFS channel: radar is monitored; a radar hit moves the AP (CAC %d s).').format(d.cac_s)
			                      : _('DFS channel (%d s radar check before the AP starts).').format(d.cac_s) ]);
	},

	card: function(r) {
		var self = this, feats = this.features;
		var chSel = wm.writeControl(E('select', { 'name': 'channel' }, [ E('option', { 'value': 'auto' }, _('auto')) ].concat((r.channels || []).map(function(c) {
			return E('option', { 'value': String(c.channel), 'selected': String(c.channel) == r.config.channel ? 'selected' : null },
				[ c.channel + (c.dfs ? ' (DFS)' : '') ]);
		}))));
		if (r.config.channel == 'auto') chSel.value = 'auto';
		var htSel = wm.writeControl(E('select', { 'name': 'htmode' }, (r.htmodes || []).map(function(h) {
			/* a width the chip lacks (320 MHz without 6 GHz EHT): shown, disabled, with the reason */
			var why = wm.unavailable(wm.feature(widthFeature(h), feats));
			var opt = E('option', { 'value': h, 'selected': h == r.config.htmode ? 'selected' : null,
				'disabled': (why && h != r.config.htmode) ? 'disabled' : null }, [ why ? _('%s — not on this router').format(h) : h ]);
			if (why) opt.setAttribute('title', why);
			return opt;
		})));
		var tp = r.txpower || {};
		var live = r.live || {};
		var card = E('div', { 'class': 'wm-card', 'data-radio': r.name }, [
			E('h3', {}, [ wm.bandPill(r.band), r.name, E('span', { 'class': 'label' }, [ r.up ? _('Up') : (r.disabled ? _('Disabled') : _('Down')) ]),
				r.in_mlo_ap ? E('span', { 'class': 'wm-kind' }, _('MLO AP')) : '' ]),
			E('dl', { 'class': 'wm-kv' }, [
				E('dt', {}, _('Live')), E('dd', {}, [ live.channel ? _('ch %d · %d MHz · %d MHz wide').format(live.channel, live.freq_mhz, live.width_mhz) : '—' ]),
				E('dt', {}, _('TX power')), E('dd', {}, [ live.txpower_dbm != null ? live.txpower_dbm + ' dBm' : '—',
					tp.mode ? E('span', { 'class': 'wm-note' }, [ ' (%s%s)'.format(tp.mode, tp.configured_dbm != null ? ', ' + _('cap %d dBm').format(tp.configured_dbm) : '') ]) : '',
					(r.in_mlo_ap && wm.unavailable(wm.feature('txpower_per_link', feats)))
						? E('span', { 'class': 'wm-note wm-mld-txpower', 'title': wm.unavailable(wm.feature('txpower_per_link', feats)) },
							[ ' · ' + _('the MLD\'s one value, not this link\'s') ]) : '' ]),
				E('dt', {}, _('Noise / busy')), E('dd', {}, [ '%s / %s'.format(r.noise_dbm != null ? r.noise_dbm + ' dBm' : '—', r.busy_pct != null ? r.busy_pct + ' %' : '—') ]),
				E('dt', {}, _('Utilisation')), E('dd', {}, [ r.chan_util_pct != null ? r.chan_util_pct + ' %' : E('span', { 'title': r.chan_util_note || '' }, 'n/a') ]),
				E('dt', {}, _('Temperature')), E('dd', {}, [ r.temperature_c != null ? r.temperature_c + ' °C' : '—' ])
			]),
			(tp.notes || []).length ? E('div', { 'class': 'alert-message warning wm-txnote' }, [ tp.notes.join(' ') ]) : '',
			this.dfs(r),
			this.sparks(r),
			E('div', { 'class': 'wm-form' }, [
				E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Channel')),
					E('div', { 'class': 'cbi-value-field' }, [ chSel, ' ',
						E('button', { 'class': 'btn cbi-button-action wm-advise wm-read', 'type': 'button' }, _('Scan channels')) ]) ]),
				E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, ''), E('div', { 'class': 'cbi-value-field wm-advice' }) ]),
				E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Width')),
					E('div', { 'class': 'cbi-value-field' }, [ htSel ]) ]),
				E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Disabled')),
					E('div', { 'class': 'cbi-value-field' }, [
						wm.writeControl(E('input', { 'type': 'checkbox', 'name': 'disabled', 'checked': r.disabled ? 'checked' : null })) ]) ]),
				this.puncturing(r),
				E('div', { 'class': 'right' }, wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-positive wm-radio-apply',
					'click': function(ev) { return self.applyRadio(r, dom.parent(ev.target, '.wm-card')); } }, _('Apply'))))
			])
		]);
		/* the advisor handler needs the card */
		card.querySelector('.wm-advise').onclick = function() { return self.advise(r, card); };
		return card;
	},

	/* the TX power modes this router's stack has (radios.txpower_modes); a mode it lacks (eFuse
	 * maximum without sku_idx) stays in the list, disabled, with why: owners follow guides
	 * written for the MTK SDK and look for it — a missing entry would only raise the question */
	txpowerCard: function(radios, modes, feats) {
		var mode = (radios[0] && radios[0].txpower && radios[0].txpower.mode) || 'regdb';
		var lacking = [];
		var sel = wm.writeControl(E('select', { 'name': 'txmode', 'id': 'wm-txmode', 'class': 'wm-wide-select' },
			Object.keys(MODE_LABEL).concat((modes || []).filter(function(m) { return !MODE_LABEL[m]; })).map(function(m) {
				var has = !modes || modes.indexOf(m) >= 0;
				var why = has ? null : (wm.unavailable(wm.feature(MODE_FEATURE[m], feats)) || _('This router\'s WiFi stack does not offer this mode.'));
				if (why) lacking.push(E('div', { 'class': 'wm-note wm-txmode-lacking', 'data-mode': m }, [ wm.text(_('%s: not available on this router — %s').format(MODE_LABEL[m] || m, why)) ]));
				var opt = E('option', { 'value': m, 'selected': m == mode ? 'selected' : null, 'disabled': why ? 'disabled' : null },
					[ why ? _('%s — not on this router').format(MODE_LABEL[m] || m) : (MODE_LABEL[m] || m) ]);
				if (why) opt.setAttribute('title', why);
				return opt;
			})));
		var manual = E('div', { 'class': 'wm-manual' }, radios.map(function(r) {
			return E('span', { 'class': 'wm-manual-cap' }, [ wm.bandPill(r.band), ' ',
				wm.writeControl(E('input', { 'type': 'number', 'name': 'dbm_' + r.name, 'min': 1, 'max': (r.txpower || {}).max_dbm || 30,
				             'value': (r.txpower || {}).configured_dbm || '', 'style': 'min-width:70px;width:70px' })), ' dBm' ]);
		}));
		return E('div', { 'class': 'cbi-section' }, [
			E('h3', {}, _('Country and TX power')),
			E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Country')),
				E('div', { 'class': 'cbi-value-field' }, [ E('strong', {}, [ (radios[0] || {}).country || '?' ]), ' ',
					wm.writeControl(E('button', { 'class': 'btn', 'id': 'wm-country', 'click': function() { return wizards.open('country'); } }, _('Change…'))),
					E('div', { 'class': 'wm-note' }, _('A country change reboots the router.')) ]) ]),
			E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('TX power mode')),
				E('div', { 'class': 'cbi-value-field' }, [ sel, E('div', { 'class': 'wm-note' }, _('Manual: a cap per radio below.')) ].concat(lacking)) ]),
			E('div', { 'class': 'cbi-value' }, [ E('label', { 'class': 'cbi-value-title' }, _('Manual caps')),
				E('div', { 'class': 'cbi-value-field' }, [ manual ]) ]),
			E('div', { 'class': 'right' }, wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-positive', 'id': 'wm-txapply',
				'click': ui.createHandlerFn(this, 'applyTx', radios) }, _('Apply'))))
		]);
	},

	applyTx: function(radios) {
		var mode = document.getElementById('wm-txmode').value;
		if (mode != 'manual') return wm.submit('txpower_set', { mode: mode });
		var chain = Promise.resolve();
		radios.forEach(function(r) {
			var v = document.querySelector('[name="dbm_%s"]'.format(r.name)).value;
			if (v === '' || +v === (r.txpower || {}).configured_dbm) return;
			chain = chain.then(function() { return wm.submit('txpower_set', { mode: 'manual', radio: r.name, dbm: +v }); });
		});
		return chain;
	},

	render: function(data) {
		var self = this, radios = data[1].radios || [];
		this.features = data[1].features || null;
		this.hist = data[2].byId;
		/* one poll (common.js): the radios every tick, their history on the slow ones */
		wm.startPoll(function(tick) {
			if (document.querySelector('.wm-card input:focus, .wm-card select:focus')) return;
			return Promise.all([ wm.call('radios'), wm.slow(tick) ? wmh.refresh('radio', self.hist) : null ]).then(function(res) {
				var r = res[0];
				if (r.features) self.features = r.features;
				(r.radios || []).forEach(function(x) {
					var card = document.querySelector('.wm-card[data-radio="%s"]'.format(x.name));
					if (!card) return;
					/* the live values and the DFS check every tick; the sparklines when their history came */
					var fresh = self.card(x);
					[ '.wm-kv', '.wm-dfs' ].concat(res[1] ? [ '.wm-sparks' ] : []).forEach(function(sel) {
						var o = card.querySelector(sel), n = fresh.querySelector(sel);
						if (o && n) o.parentNode.replaceChild(n, o);
						else if (!o && n && sel == '.wm-dfs') card.insertBefore(n, card.querySelector('.wm-sparks'));
						else if (o && !n) o.parentNode.removeChild(o);
					});
				});
			});
		});
		return E('div', {}, [ wm.renderHeader(data[0][0], data[0][1]), this.txpowerCard(radios, data[1].txpower_modes, data[1].features),
			E('div', { 'class': 'wm-cards' }, radios.map(function(r) { return self.card(r); })) ]);
	},

	handleSave: null,
	handleSaveApply: null,
	handleReset: null
});
