'use strict';
'require baseclass';
'require ui';
'require dom';
'require wifimgr.common as wm';

/*
 * luci-app-wifimgr wizards: MLO AP, AP, Station (incl. MLO STA), WDS / relayd, Repeater,
 * Country. Options the safety module forbids right now (the `constraints` method) are shown
 * disabled with the reason; the backend's verdict (dry run) decides before anything is applied.
 */

var COUNTRIES = [ 'AT', 'AU', 'BE', 'BR', 'CA', 'CH', 'CN', 'CZ', 'DE', 'DK', 'ES', 'FI', 'FR', 'GB',
	'HU', 'IE', 'IT', 'JP', 'KR', 'NL', 'NO', 'NZ', 'PL', 'PT', 'SE', 'SK', 'TR', 'TW', 'US' ];

function field(label, input, note) {
	return E('div', { 'class': 'cbi-value' }, [
		E('label', { 'class': 'cbi-value-title' }, [ label ]),
		E('div', { 'class': 'cbi-value-field' }, [ input, note ? E('div', { 'class': 'wm-note' }, [ note ]) : '' ])
	]);
}

function val(form, name) {
	var el = form.querySelector('[name="%s"]'.format(name));
	if (!el) return undefined;
	if (el.type == 'checkbox') return el.checked;
	return el.value;
}

function option(value, label, disabled, selected) {
	return E('option', { 'value': value, 'disabled': disabled ? 'disabled' : null, 'selected': selected ? 'selected' : null }, [ label ]);
}

/* what this router's stack lacks (constraints.features of the capability map): a 6 GHz radio
 * where the chip has no 6 GHz, a 320 MHz width where it has no 320 MHz — the reason, or null */
function lackingBand(ctx, band) {
	return band == '6g' ? wm.unavailable(wm.feature('band_6g', ctx.constraints.features)) : null;
}

function lackingWidth(ctx, htmode) {
	return /320/.test(htmode || '') ? wm.unavailable(wm.feature('eht_320', ctx.constraints.features)) : null;
}

/* the MLD netifd makes of the next MLO AP section (constraints.mld_auto_pattern, `{mode}-mld{n}`:
 * n counts the MLO sections of that mode before it in the file that have no `option ifname` —
 * openwrt/netifd wireless.uc mlo_vif_create() counts only those) */
function mldName(ctx, mode, n) {
	return String(ctx.constraints.mld_auto_pattern || '{mode}-mld{n}').replace('{mode}', mode).replace('{n}', String(n));
}

return baseclass.extend({
	/* ctx: { constraints, radios } as returned by the backend */
	load: function() {
		return Promise.all([ wm.call('constraints'), wm.call('radios') ]).then(function(r) {
			return { constraints: r[0], radios: (r[1].radios || []) };
		});
	},

	radioSelect: function(ctx, name, kind, bands, selected) {
		var sel = E('select', { 'name': name });
		var first = null, allowedNames = {};
		(ctx.radios || []).forEach(function(r) {
			if (bands && bands.indexOf(r.band) < 0) return;
			var c = (ctx.constraints.radios || {})[r.name] || {};
			var allowed = c[kind] || { ok: true };
			var lacking = lackingBand(ctx, r.band);
			if (lacking) allowed = { ok: false, rule: null, reason: lacking, lacking: true };
			var label = '%s (%s)'.format(wm.bandLabel(r.band), r.name);
			if (!allowed.ok) label += ' — ' + (allowed.lacking ? _('not on this router')
				: (allowed.rule == 'mlo-radio-extra-ap' || allowed.rule == 'legacy-ap-limit') ? _('at limit') : _('not possible'));
			var opt = option(r.name, label, !allowed.ok, false);
			if (!allowed.ok) opt.setAttribute('title', allowed.reason || '');
			if (allowed.ok && first == null) first = r.name;
			if (allowed.ok) allowedNames[r.name] = true;
			sel.appendChild(opt);
		});
		/* never pre-select a radio the safety module forbids: the caller's "every radio is at
		 * its limit" warning reads an empty value */
		sel.value = (selected && allowedNames[selected]) ? selected : (first || '');
		return sel;
	},

	encSelect: function(name, choices, selected) {
		var labels = { 'sae': _('WPA3 (SAE)'), 'sae-mixed': _('WPA2/WPA3'), 'psk2': _('WPA2 (PSK)'),
		               'owe': _('OWE (open, encrypted)'), 'none': _('Open') };
		return E('select', { 'name': name }, choices.map(function(c) { return option(c, labels[c] || c, false, c == selected); }));
	},

	scanButton: function(radioField, onPick, onlyBands) {
		return wm.writeControl(E('button', { 'class': 'btn cbi-button-action', 'type': 'button', 'click': function(ev) {
			var form = dom.parent(ev.target, 'form');
			var radio = radioField ? val(form, radioField) : null;
			var list = form.querySelector('.wm-scan-list');
			dom.content(list, E('div', { 'class': 'spinning' }, _('Scanning…')));
			return wm.call('scan', radio ? { radio: radio } : {}).then(function(r) {
				var rows = (r.results || []).filter(function(x) { return !x.hidden && (!onlyBands || onlyBands.indexOf(x.band) >= 0); });
				var notes = (r.radios || []).filter(function(p) { return p.note; }).map(function(p) { return E('div', { 'class': 'wm-note' }, [ p.note ]); });
				if (!rows.length) return dom.content(list, [ E('em', {}, _('No networks found.')) ].concat(notes));
				dom.content(list, [ E('div', { 'class': 'table' }, [
					E('div', { 'class': 'tr' }, [ E('div', { 'class': 'th' }, _('Signal')), E('div', { 'class': 'th' }, _('Band')),
						E('div', { 'class': 'th' }, 'SSID'), E('div', { 'class': 'th' }, _('Ch')), E('div', { 'class': 'th' }, _('Security')) ])
				].concat(rows.map(function(x) {
					return E('div', { 'class': 'tr wm-scan-row', 'data-ssid': x.ssid, 'click': function() { onPick(form, x); } }, [
						E('div', { 'class': 'td' }, [ x.quality_pct + '%' ]), E('div', { 'class': 'td' }, wm.bandPill(x.band)),
						E('div', { 'class': 'td wm-ssid' }, [ x.ssid ]), E('div', { 'class': 'td' }, [ x.channel ]),
						E('div', { 'class': 'td' }, [ x.security_label + (x.supported ? '' : ' ' + _('(unsupported)')) ]) ]);
				}))) ].concat(notes));
			});
		} }, _('Scan')));
	},

	pick: function(form, x, prefix) {
		prefix = prefix || '';
		var s = form.querySelector('[name="%sssid"]'.format(prefix));
		if (s) s.value = x.ssid;
		var enc = form.querySelector('[name="%sencryption"]'.format(prefix));
		if (enc && x.encryption) {
			if (!enc.querySelector('option[value="%s"]'.format(x.encryption)))
				enc.appendChild(option(x.encryption, x.security_label));
			enc.value = x.encryption;
		}
		var key = form.querySelector('[name="%skey"]'.format(prefix));
		if (key) key.focus();
	},

	modal: function(title, intro, formNodes, submitLabel, onSubmit) {
		var errors = E('div', { 'class': 'wm-wizard-errors' });
		var form = E('form', { 'class': 'wm-form', 'submit': function(ev) { ev.preventDefault(); } }, [].concat(formNodes));
		ui.showModal([ title ], [
			wm.readOnlyNote(), intro ? E('p', { 'class': 'wm-note' }, [ intro ]) : '', form, errors,
			E('div', { 'class': 'right' }, [
				E('button', { 'class': 'btn wm-read', 'type': 'button', 'click': ui.hideModal }, _('Cancel')), ' ',
				wm.writeControl(E('button', { 'class': 'btn cbi-button cbi-button-positive', 'id': 'wm-wizard-submit',
					'click': function() { return onSubmit(form, errors); } }, [ submitLabel ]))
			])
		], 'wm-wizard');
		/* a read-only login may look at a wizard, not fill it in */
		form.querySelectorAll('input, select, textarea').forEach(function(el) { wm.writeControl(el); });
		return form;
	},

	/* ------------------------------------------------------------------ wizards */
	mloAp: function(ctx) {
		var c = ctx.constraints.mlo_ap_possible || { ok: true };
		var lacks = [];
		var boxes = (ctx.radios || []).filter(function(r) { return r.band; }).map(function(r) {
			var eht = (r.config.htmode || '').indexOf('EHT') == 0;
			var lacking = lackingBand(ctx, r.band), usable = eht && !r.disabled && !lacking;
			if (lacking) lacks.push(E('div', { 'class': 'wm-note wm-lacking-band', 'data-radio': r.name }, [
				wm.text(_('%s: not on this router — %s').format(wm.bandLabel(r.band), lacking)) ]));
			return E('label', { 'style': 'margin-right:12px', 'title': lacking || null }, [
				E('input', { 'type': 'checkbox', 'name': 'radio_' + r.name, 'data-radio': r.name, 'title': lacking || null,
				             'checked': usable ? 'checked' : null, 'disabled': usable ? null : 'disabled' }),
				' ', wm.bandPill(r.band), lacking ? E('span', { 'class': 'wm-note' }, [ ' ' + _('(not on this router)') ])
					: eht ? '' : E('span', { 'class': 'wm-note' }, [ ' ' + _('(not EHT)') ]) ]);
		});
		/* the name the MLD will have: the stack's netifd pattern, after the MLO APs already there */
		var mld = E('code', { 'id': 'wm-mld-ifname' }, [ wm.text(mldName(ctx, 'ap', 0)) ]);
		wm.call('networks').then(function(r) {
			var n = ((r && r.networks) || []).filter(function(x) { return x.kind == 'mlo-ap' && !(x.options || {}).ifname; }).length;
			dom.content(mld, [ wm.text(mldName(ctx, 'ap', n)) ]);
		});
		var self = this;
		return this.modal(_('New WiFi 7 network (MLO)'),
			c.ok ? _('One network over 2 or 3 bands. WPA3 is used; a 6 GHz link requires it.')
			     : _('Not possible right now: %s').format(c.reason),
			[ field('SSID', E('input', { 'type': 'text', 'name': 'ssid', 'maxlength': 32 })),
			  field(_('Password'), E('input', { 'type': 'password', 'name': 'key' }), _('8–128 characters')),
			  field(_('Bands'), E('div', {}, [].concat(boxes).concat(lacks))),
			  field(_('Interface'), mld, _('the name netifd gives the new MLD on this router')),
			  field(_('Isolate clients'), E('input', { 'type': 'checkbox', 'name': 'isolate' })),
			  field(_('Disable EML'), E('input', { 'type': 'checkbox', 'name': 'eml_disable' })) ],
			_('Create WiFi 7 network'), function(form, errors) {
				var radios = Array.prototype.slice.call(form.querySelectorAll('input[data-radio]:checked'))
					.map(function(i) { return i.getAttribute('data-radio'); });
				return wm.submit('mlo_ap', { radios: radios, ssid: val(form, 'ssid'), key: val(form, 'key'),
					isolate: val(form, 'isolate'), eml_disable: val(form, 'eml_disable') }, { target: errors });
			});
	},

	ap: function(ctx) {
		var self = this;
		var form = this.modal(_('New access point'), null, [
			field(_('Radio'), this.radioSelect(ctx, 'radio', 'ap_slot_free', null, 'radio1')),
			field('SSID', E('input', { 'type': 'text', 'name': 'ssid', 'maxlength': 32 })),
			field(_('Security'), this.encSelect('encryption', [ 'sae-mixed', 'sae', 'psk2', 'owe', 'none' ], 'sae-mixed'),
			      _('6 GHz allows only WPA3 or OWE')),
			field(_('Password'), E('input', { 'type': 'password', 'name': 'key' })),
			field(_('Channel'), E('select', { 'name': 'channel' }), _('DFS channels start after a radar check (CAC)')),
			field(_('Width'), E('select', { 'name': 'htmode' })),
			field(_('Hidden SSID'), E('input', { 'type': 'checkbox', 'name': 'hidden' })),
			field(_('Isolate clients'), E('input', { 'type': 'checkbox', 'name': 'isolate' })),
			field(_('Max clients'), E('input', { 'type': 'number', 'name': 'maxassoc', 'min': 1, 'max': 512, 'placeholder': _('unlimited') }))
		], _('Add network'), function(form, errors) {
			var args = { radio: val(form, 'radio'), ssid: val(form, 'ssid'), encryption: val(form, 'encryption'),
			             hidden: val(form, 'hidden'), isolate: val(form, 'isolate') };
			if (val(form, 'key')) args.key = val(form, 'key');
			if (val(form, 'maxassoc')) args.maxassoc = +val(form, 'maxassoc');
			if (val(form, 'channel')) args.channel = val(form, 'channel');
			if (val(form, 'htmode')) args.htmode = val(form, 'htmode');
			return wm.submit('ap', args, { target: errors });
		});
		var radio = form.querySelector('[name=radio]');
		var fix = function() {
			var r = (ctx.radios || []).filter(function(x) { return x.name == radio.value; })[0];
			if (r && r.band == '6g') form.querySelector('[name=encryption]').value = 'sae';
			/* channel and width of the chosen radio; empty keeps what the radio uses now */
			var ch = form.querySelector('[name=channel]'), ht = form.querySelector('[name=htmode]');
			dom.content(ch, [ option('', r ? _('keep (%s)').format(r.config.channel || 'auto') : '', false, true) ]
				.concat(r ? [ option('auto', _('auto'), false, false) ] : [])
				.concat(((r && r.channels) || []).map(function(c) { return option(String(c.channel), c.channel + (c.dfs ? ' (DFS)' : ''), false, false); })));
			dom.content(ht, [ option('', r ? _('keep (%s)').format(r.config.htmode || '?') : '', false, true) ]
				.concat(((r && r.htmodes) || []).map(function(h) {
					/* a width the chip lacks: disabled with the reason, as the safety module's limits are */
					var why = lackingWidth(ctx, h), opt = option(h, why ? _('%s — not on this router').format(h) : h, !!why, false);
					if (why) opt.setAttribute('title', why);
					return opt;
				})));
		};
		radio.addEventListener('change', fix);
		fix();
		if (!radio.value)
			dom.append(form, E('div', { 'class': 'alert-message warning wm-at-limit' }, _('Every radio is at its limit: remove a network first.')));
		return form;
	},

	station: function(ctx) {
		var self = this;
		var mloOk = ctx.constraints.mlo_sta_possible || { ok: true };
		var form = this.modal(_('Connect to an upstream network'), null, [
			field(_('MLO station'), E('input', { 'type': 'checkbox', 'name': 'mlo', 'disabled': mloOk.ok ? null : 'disabled' }),
			      mloOk.ok ? _('Multi-link uplink over all bands (needs an MLO AP upstream; applied by reboot)') : mloOk.reason),
			field(_('Radio'), this.radioSelect(ctx, 'radio', 'sta_allowed', null, 'radio1')),
			field('SSID', E('div', {}, [ E('input', { 'type': 'text', 'name': 'ssid', 'maxlength': 32 }), ' ',
				this.scanButton('radio', function(f, x) { self.pick(f, x); }) ])),
			E('div', { 'class': 'wm-scan-list' }),
			field(_('Security'), this.encSelect('encryption', [ 'sae', 'sae-mixed', 'psk2', 'owe', 'none' ], 'sae-mixed')),
			field(_('Password'), E('input', { 'type': 'password', 'name': 'key' })),
			field('BSSID', E('input', { 'type': 'text', 'name': 'bssid', 'placeholder': _('any') }))
		], _('Add station'), function(form, errors) {
			var args = { ssid: val(form, 'ssid'), encryption: val(form, 'encryption') };
			if (val(form, 'mlo')) args.mlo = true; else args.radio = val(form, 'radio');
			if (val(form, 'key')) args.key = val(form, 'key');
			if (val(form, 'bssid')) args.bssid = val(form, 'bssid');
			return wm.submit('station', args, { target: errors });
		});
		return form;
	},

	wds: function(ctx) {
		var self = this;
		return this.modal(_('Wireless bridge'), _('WDS needs 4-address mode on the upstream AP; relayd works with any AP (install the relayd package).'), [
			field(_('Bridge type'), E('select', { 'name': 'mode' }, [ option('wds', _('WDS (4-address)')), option('relayd', _('relayd (ARP proxy)')) ])),
			field(_('Radio'), this.radioSelect(ctx, 'radio', 'wds_allowed', [ '2g', '5g' ], 'radio1')),
			field('SSID', E('div', {}, [ E('input', { 'type': 'text', 'name': 'ssid', 'maxlength': 32 }), ' ',
				this.scanButton('radio', function(f, x) { self.pick(f, x); }) ])),
			E('div', { 'class': 'wm-scan-list' }),
			field(_('Security'), this.encSelect('encryption', [ 'sae', 'sae-mixed', 'psk2', 'none' ], 'psk2')),
			field(_('Password'), E('input', { 'type': 'password', 'name': 'key' })),
			field(_('Remote AP MAC'), E('input', { 'type': 'text', 'name': 'bssid', 'placeholder': _('optional') }))
		], _('Add bridge'), function(form, errors) {
			var args = { radio: val(form, 'radio'), ssid: val(form, 'ssid'), encryption: val(form, 'encryption'), mode: val(form, 'mode') };
			if (val(form, 'key')) args.key = val(form, 'key');
			if (val(form, 'bssid')) args.bssid = val(form, 'bssid');
			return wm.submit('wds', args, { target: errors });
		});
	},

	repeater: function(ctx) {
		var self = this;
		var form = this.modal(_('Repeater'), _('A STA uplink on one radio and a local AP on another; clients get this router\'s addresses (NAT).'), [
			field(_('Uplink radio'), this.radioSelect(ctx, 'uplink_radio', 'repeater_uplink_allowed', [ '2g', '5g' ], 'radio1')),
			field(_('Upstream SSID'), E('div', {}, [ E('input', { 'type': 'text', 'name': 'uplink_ssid', 'maxlength': 32 }), ' ',
				this.scanButton('uplink_radio', function(f, x) { self.pick(f, x, 'uplink_'); }, [ '2g', '5g' ]) ])),
			E('div', { 'class': 'wm-scan-list' }),
			field(_('Upstream security'), this.encSelect('uplink_encryption', [ 'sae', 'sae-mixed', 'psk2', 'owe', 'none' ], 'psk2')),
			field(_('Upstream password'), E('input', { 'type': 'password', 'name': 'uplink_key' })),
			field(_('Local AP radio'), this.radioSelect(ctx, 'ap_radio', 'ap_slot_free', null, 'radio0')),
			field(_('Local SSID'), E('input', { 'type': 'text', 'name': 'ap_ssid', 'maxlength': 32 })),
			field(_('Local security'), this.encSelect('ap_encryption', [ 'sae-mixed', 'sae', 'psk2' ], 'sae-mixed')),
			field(_('Local password'), E('input', { 'type': 'password', 'name': 'ap_key' }))
		], _('Set up repeater'), function(form, errors) {
			var args = { uplink_radio: val(form, 'uplink_radio'), uplink_ssid: val(form, 'uplink_ssid'),
			             uplink_encryption: val(form, 'uplink_encryption'), ap_radio: val(form, 'ap_radio'),
			             ap_ssid: val(form, 'ap_ssid'), ap_encryption: val(form, 'ap_encryption') };
			if (val(form, 'uplink_key')) args.uplink_key = val(form, 'uplink_key');
			if (val(form, 'ap_key')) args.ap_key = val(form, 'ap_key');
			return wm.submit('repeater', args, { target: errors });
		});
		if (!form.querySelector('[name=ap_radio]').value)
			dom.append(form, E('div', { 'class': 'alert-message warning wm-at-limit' }, _('Every radio is at its limit: remove a network first.')));
		return form;
	},

	country: function(ctx, current) {
		return this.modal(_('Country / regulatory domain'), _('Applied to every radio; the router reboots (about a minute).'), [
			field(_('Country'), E('select', { 'name': 'country' }, [ option('', _('— choose your country —'), false, !current || current == '00') ].concat(COUNTRIES.map(function(c) { return option(c, c, false, c == current); }))))
		], _('Apply & reboot'), function(form, errors) {
			return wm.submit('country', { country: val(form, 'country') }, { target: errors });
		});
	},

	open: function(kind) {
		var self = this;
		return this.load().then(function(ctx) {
			switch (kind) {
			case 'mlo_ap': return self.mloAp(ctx);
			case 'ap': return self.ap(ctx);
			case 'station': return self.station(ctx);
			case 'wds': return self.wds(ctx);
			case 'repeater': return self.repeater(ctx);
			case 'country': return self.country(ctx, (ctx.radios[0] || {}).country);
			}
		});
	}
});
