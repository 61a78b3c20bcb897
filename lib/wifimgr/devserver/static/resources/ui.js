'use strict';
'require baseclass';
'require dom';
'require poll';

/*
 * Preview shim of LuCI's ui module: modal, notifications, indicators, createHandlerFn and
 * instantiateView — the public API subset wifimgr's views use. Not LuCI's code.
 */

var modalDiv = null, indicatorDiv = null;

return baseclass.extend({
	__init__: function() {
		/* as LuCI's: focusable, Escape presses the dialog's first button row button */
		modalDiv = document.body.appendChild(E('div', { 'id': 'modal_overlay', 'tabindex': -1, 'keydown': this.cancelModal },
			[ E('div', { 'class': 'modal', 'role': 'dialog', 'aria-modal': true }) ]));
		indicatorDiv = (document.querySelector('.preview-header') || document.body)
			.appendChild(E('span', { 'class': 'indicators' }));
	},

	cancelModal: function(ev) {
		if (ev.key == 'Escape') {
			var btn = modalDiv.querySelector('.right > button, .right > .btn, .button-row > .btn');
			if (btn) btn.click();
		}
	},

	showModal: function(title, children /* , ... */) {
		var dlg = modalDiv.firstElementChild;
		dlg.setAttribute('class', 'modal');
		for (var i = 2; i < arguments.length; i++) dlg.classList.add(arguments[i]);
		dom.content(dlg, dom.create('h4', {}, title));
		dom.append(dlg, children);
		document.body.classList.add('modal-overlay-active');
		modalDiv.scrollTop = 0;
		modalDiv.focus();
		return dlg;
	},

	hideModal: function() {
		document.body.classList.remove('modal-overlay-active');
		modalDiv.blur();
	},

	addNotification: function(title, children /*, ... */) {
		var mc = document.querySelector('#maincontent') || document.body;
		var msg = E('div', { 'class': 'alert-message fade-in', 'style': 'display:flex', 'transitionend': function(ev) {
			var node = ev.currentTarget;
			if (node.parentNode && node.classList.contains('fade-out')) node.parentNode.removeChild(node);
		} }, [
			E('div', { 'style': 'flex:10' }),
			E('div', { 'style': 'flex:1 1 auto; display:flex' }, [
				E('button', { 'class': 'btn', 'style': 'margin-left:auto; margin-top:auto', 'click': function(ev) {
					dom.parent(ev.target, '.alert-message').classList.add('fade-out');
					var n = dom.parent(ev.target, '.alert-message'); if (n && n.parentNode) n.parentNode.removeChild(n);
				} }, [ _('Dismiss') ])
			])
		]);
		if (title != null) dom.append(msg.firstElementChild, E('h4', {}, title));
		dom.append(msg.firstElementChild, children);
		for (var i = 2; i < arguments.length; i++) msg.classList.add(arguments[i]);
		mc.insertBefore(msg, mc.firstElementChild);
		return msg;
	},

	addTimeLimitedNotification: function(title, children, timeout /*, ... */) {
		var msg = this.addNotification.apply(this, [ title, children ].concat(Array.prototype.slice.call(arguments, 3)));
		window.setTimeout(function() { if (msg.parentNode) msg.parentNode.removeChild(msg); }, timeout || 5000);
		return msg;
	},

	showIndicator: function(id, label, handler, style) {
		if (indicatorDiv.querySelector('span[data-indicator="%s"]'.format(id))) return false;
		var s = E('span', { 'data-indicator': id, 'data-clickable': handler ? true : null, 'data-style': style || 'default',
		                    'click': handler }, label);
		indicatorDiv.appendChild(s);
		return true;
	},

	hideIndicator: function(id) {
		var s = indicatorDiv.querySelector('span[data-indicator="%s"]'.format(id));
		if (s) { s.parentNode.removeChild(s); return true; }
		return false;
	},

	createHandlerFn: function(ctx, fn /*, ... */) {
		if (typeof(fn) == 'string') fn = ctx[fn];
		if (typeof(fn) != 'function') return null;
		var argOffset = 2, extra = Array.prototype.slice.call(arguments, argOffset);
		/* as LuCI's: the handler returns nothing (not the promise of fn) */
		return function(ev) {
			var target = ev.currentTarget, args = extra.concat([ ev ]);
			target.classList.add('spinning');
			target.disabled = true;
			if (target.blur) target.blur();
			Promise.resolve(fn.apply(ctx, args)).finally(function() {
				target.classList.remove('spinning');
				target.disabled = false;
			});
		};
	},

	instantiateView: function(path) {
		var className = 'view.%s'.format(path.replace(/\//g, '.'));
		return L.require(className).then(function(view) {
			if (!(view instanceof L.view)) throw new TypeError('Loaded class %s is not a descendant of View'.format(className));
			return view;
		}).catch(function(err) {
			dom.content(document.querySelector('#view'), E('div', { 'class': 'alert-message error' }, [
				E('h4', {}, _('The view could not be loaded')), E('pre', {}, String(err && err.message || err)) ]));
			if (window.console) console.error(err);
		});
	}
});
