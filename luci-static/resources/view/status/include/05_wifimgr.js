'use strict';
'require baseclass';
'require rpc';
'require ui';

/*
 * luci-app-wifimgr on Status → Overview: everyone who logs into LuCI sees an unsafe wireless
 * configuration (also one written from outside wifimgr: LuCI's Network → Wireless, `uci`,
 * other tools), a network with a publicly known key, and a locked WiFi chip — with the ready
 * fix. Nothing is shown when all is well (render returns null: the section stays hidden).
 * Values from the router (SSIDs, section names, messages) are text nodes only.
 */

var callStatus = rpc.declare({ object: 'wifimgr', method: 'status', expect: { '': {} } });
var callRestoreGood = rpc.declare({ object: 'wifimgr', method: 'restore_good', params: [ 'dry_run' ], expect: { '': {} } });

function text(s) { return document.createTextNode(s == null ? '' : String(s)); }

function li(s) { return E('li', {}, [ text(s) ]); }

/* the bootstrap theme puts a bare list's bullets outside the alert box */
function ul(items) {
	var list = E('ul', { 'style': 'padding-left:1.5em;margin-left:0' });
	items.forEach(function(node) { list.appendChild(node); });
	return list;
}

return baseclass.extend({
	title: _('WiFi safety'),

	load: function() {
		return L.resolveDefault(callStatus(), null);
	},

	handleRestore: function(ev) {
		return callRestoreGood(false).then(function(r) {
			var ok = r && r.ok;
			ui.addNotification(null, E('p', {}, [ text(ok
				? _('The last good configuration is being restored.')
				: _('Not restored: %s').format(((r && r.blocked && r.blocked[0]) || (r && r.error) || {}).message || '?')) ]),
				ok ? 'info' : 'error');
		});
	},

	wifimgrLink: function(label) {
		return E('a', { 'class': 'btn cbi-button cbi-button-action', 'id': 'wm-status-open',
			'href': L.url('admin/network/wifimgr/networks') }, [ text(label) ]);
	},

	render: function(st) {
		if (!st || !st.config)
			return null;
		var nodes = [], self = this;
		var outside = st.config.outside, v = st.config.violations || [];
		var chip = st.chip || {};
		if (chip.locked) {
			var w = chip.written;
			nodes.push(E('div', { 'class': 'alert-message error', 'id': 'wm-status-locked' }, [
				E('h4', {}, [ text(_('WiFi chip locked')) ]),
				w ? E('p', {}, [ text(_('It locked after this change was written to the wireless configuration:')) ]) : '',
				w ? ul((w.changes || []).map(li)) : '',
				(w && w.restore) ? E('p', {}, [ E('button', { 'class': 'btn cbi-button cbi-button-positive', 'id': 'wm-status-restore',
					'click': ui.createHandlerFn(this, 'handleRestore') }, [ text(_('Restore the last good configuration')) ]) ]) : '',
				E('p', {}, [ text(chip.recovery) ]) ]));
		}
		if (v.length) {
			nodes.push(E('div', { 'class': 'alert-message warning', 'id': 'wm-status-unsafe' }, [
				E('h4', {}, [ text(outside && !outside.by_wifimgr
					? _('An unsafe wireless configuration was written outside WiFi Manager')
					: _('The wireless configuration is unsafe')) ]),
				ul(v.map(function(x) { return E('li', {}, [ E('code', {}, [ text(x.rule) ]), ' ', text(x.subject), ': ', text(x.message) ]); })),
				(outside && (outside.changes || []).length)
					? E('details', {}, [ E('summary', {}, [ text(_('What was written')) ]), ul(outside.changes.map(li)) ]) : '',
				E('p', {}, [
					self.wifimgrLink(_('Fix it in WiFi Manager')), ' ',
					(outside && outside.restore) ? E('button', { 'class': 'btn cbi-button cbi-button-positive', 'id': 'wm-status-restore-unsafe',
						'click': ui.createHandlerFn(this, 'handleRestore') }, [ text(_('Restore the last good configuration')) ]) : '' ]) ]));
		}
		var sec = st.security || [];
		if (sec.length) {
			nodes.push(E('div', { 'class': 'alert-message warning', 'id': 'wm-status-published-key' }, [
				E('h4', {}, [ text(_('WiFi networks with a publicly known key')) ]),
				ul(sec.map(function(f) { return li('%s (%s)'.format(f.subject, f.ssid || '')); })),
				E('p', {}, [ text(_('Anyone nearby can join them. Set a new key in WiFi Manager.')), ' ', self.wifimgrLink(_('Set a new key')) ]) ]));
		}
		return nodes.length ? E('div', { 'id': 'wm-status-include' }, nodes) : null;
	}
});
