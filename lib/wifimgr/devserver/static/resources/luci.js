/*
 * Preview shim of the LuCI client runtime (the subset wifimgr's views use), written for the
 * wifimgr dev server. It follows the public LuCI JS API — L.require with 'require' directives,
 * classes built with extend(), dom, poll, request, view — so the views in luci-static/ run
 * unchanged here and under the real LuCI on a router. It is not LuCI's code.
 */
(function(window, document) {
	'use strict';

	/* ------------------------------------------------------------------ string format
	 * LuCI's String.prototype.format semantics (cbi.js), which the views rely on: the pattern
	 * is consumed from the left and formatting stops at the first '%' that is not a known
	 * conversion (the rest is copied as it is); a missing argument repeats the previous
	 * substitution; '%s' of null/undefined prints "null"/"undefined"; '%h'/'%q' escape and
	 * print '' for null, objects and functions. Tested in tests/browser/test_shim_parity.py,
	 * which runs under the shim and under real LuCI (make test-luci). */
	var escape = function(s, html) {
		var t = typeof(s);
		if (s == null || t === 'object' || t === 'function') return '';
		s = String(s);
		if (html) s = s.replace(/&/g, '&#38;');
		s = s.replace(/"/g, '&#34;').replace(/'/g, '&#39;');
		return html ? s.replace(/</g, '&#60;').replace(/>/g, '&#62;') : s;
	};
	var duration = function(secs) {
		var s = +secs || 0, m = 0, h = 0, d = 0;
		if (s > 59) { m = Math.floor(s / 60); s = s % 60; }
		if (m > 59) { h = Math.floor(m / 60); m = m % 60; }
		if (h > 23) { d = Math.floor(h / 24); h = h % 24; }
		return d > 0 ? '%dd %dh %dm %ds'.format(d, h, m, s) : '%dh %dm %ds'.format(h, m, s);
	};
	String.prototype.format = function() {
		var re = /^(([^%]*)%('.|0|\x20)?(-)?(\d+)?(\.\d+)?(%|b|c|d|u|f|o|s|x|X|q|h|j|t|m))/;
		var str = String(this), out = '', used = 0, subst, pad = ' ', a;
		while ((a = re.exec(str)) !== null) {
			var type = a[7], width = a[5], prec = a[6];
			if (type == '%') {
				subst = '%';
			}
			else if (used < arguments.length) {
				var v = arguments[used++], n;
				pad = a[3] ? (a[3].charAt(0) == "'" ? a[3].charAt(1) : a[3]) : ' ';
				switch (type) {
				case 'b': subst = Math.floor(+v || 0).toString(2); break;
				case 'c': subst = String.fromCharCode(+v || 0); break;
				case 'd': subst = Math.floor(+v || 0).toFixed(0); break;
				case 'u': n = +v || 0; subst = Math.floor(n < 0 ? 0x100000000 + n : n).toFixed(0); break;
				case 'f': subst = prec ? (+v || 0).toFixed(+prec.substring(1)) : (+v || 0); break;
				case 'o': subst = Math.floor(+v || 0).toString(8); break;
				case 'x': subst = Math.floor(+v || 0).toString(16).toLowerCase(); break;
				case 'X': subst = Math.floor(+v || 0).toString(16).toUpperCase(); break;
				case 'h': subst = escape(v, true); break;
				case 'q': subst = escape(v, false); break;
				case 't': subst = duration(v); break;
				case 'm':
					var base = width ? +width : 1000, digits = prec ? ~~(10 * +('0' + prec)) : 2;
					var units = [ ' ', ' K', ' M', ' G', ' T', ' P', ' E' ], val = +v || 0, i = 0;
					for (i = 0; i < units.length && val > base; i++) val /= base;
					subst = i ? val.toFixed(digits) + units[i] + (base == 1024 ? 'i' : '') : val + ' ';
					width = null;
					break;
				default: subst = v;           /* 's' and 'j': the value itself */
				}
			}
			if (width) {
				subst = String(subst);
				for (var k = subst.length; k < +width; k++)
					subst = (a[4] == '-') ? subst + ' ' : pad + subst;
			}
			out += a[2] + subst;
			str = str.substring(a[1].length);
		}
		return out + str;
	};
	String.format = function(fmt) {
		return String.prototype.format.apply(fmt, Array.prototype.slice.call(arguments, 1));
	};

	/* ------------------------------------------------------------------ classes */
	var superContext = {};
	var Class = Object.assign(function() {}, {
		extend: function(properties) {
			var props = { __base__: { value: this.prototype }, __name__: { value: properties.__name__ || 'anonymous' } };
			var ClassConstructor = function() {
				if (!(this instanceof ClassConstructor))
					throw new TypeError('Constructor must not be called without "new"');
				if (Object.getPrototypeOf(this).hasOwnProperty('__init__')) {
					if (typeof(this.__init__) != 'function')
						throw new TypeError('Class __init__ member is not a function');
					this.__init__.apply(this, arguments);
				}
				else {
					this.super('__init__', arguments);
				}
			};
			for (var key in properties)
				if (!props[key] && properties.hasOwnProperty(key))
					props[key] = { value: properties[key], writable: true };
			ClassConstructor.prototype = Object.create(this.prototype, props);
			ClassConstructor.prototype.constructor = ClassConstructor;
			Object.assign(ClassConstructor, this);
			ClassConstructor.displayName = 'Class';
			return ClassConstructor;
		},
		singleton: function(properties /*, ... */) {
			return Class.extend(properties).instantiate(Class.prototype.varargs(arguments, 1));
		},
		instantiate: function(args) {
			return new (Function.prototype.bind.apply(this, Class.prototype.varargs(args, 0, null)))();
		},
		call: function(self, method) {
			if (typeof(this.prototype[method]) != 'function')
				throw new ReferenceError(method + ' is not defined in class');
			return this.prototype[method].apply(self, self.varargs(arguments, 1));
		},
		isSubclass: function(classValue) {
			return (classValue != null && typeof(classValue) == 'function' && classValue.prototype instanceof this);
		},
		prototype: {
			varargs: function(args, offset /*, ... */) {
				return Array.prototype.slice.call(arguments, 2).concat(Array.prototype.slice.call(args, offset));
			},
			super: function(key, callArgs) {
				if (key == null) return null;
				var slotIdx = this.__id__ + '.' + key, symStack = superContext[slotIdx], protoCtx = null;
				for (protoCtx = Object.getPrototypeOf(symStack ? symStack[0] : Object.getPrototypeOf(this));
				     protoCtx != null && !protoCtx.hasOwnProperty(key);
				     protoCtx = Object.getPrototypeOf(protoCtx)) {}
				if (protoCtx == null) return null;
				var res = protoCtx[key];
				if (arguments.length > 1) {
					if (typeof(res) != 'function') throw new ReferenceError(key + ' is not a function in base class');
					if (typeof(callArgs) != 'object') callArgs = this.varargs(arguments, 1);
					if (symStack) symStack.unshift(protoCtx); else superContext[slotIdx] = [ protoCtx ];
					try { res = res.apply(this, callArgs); }
					finally {
						superContext[slotIdx].shift();
						if (!superContext[slotIdx].length) delete superContext[slotIdx];
					}
				}
				return res;
			},
			toString: function() { return '[object ' + (this.__name__ || 'Class') + ']'; }
		}
	});
	var classIndex = 0;
	Object.defineProperty(Class.prototype, '__id__', { get: function() {
		if (!this.hasOwnProperty('__uid')) Object.defineProperty(this, '__uid', { value: 'c' + (classIndex++) });
		return this.__uid;
	} });

	/* ------------------------------------------------------------------ dom */
	var DOM = Class.singleton({
		__name__: 'LuCI.dom',
		elem: function(e) { return (e != null && typeof(e) == 'object' && 'nodeType' in e); },
		parse: function(s) {
			try { return new DOMParser().parseFromString(s, 'text/html').body.firstChild; }
			catch (e) { return null; }
		},
		matches: function(node, selector) {
			var m = this.elem(node) ? node.matches || node.msMatchesSelector : null;
			return m ? m.call(node, selector) : false;
		},
		parent: function(node, selector) {
			if (this.elem(node) && node.closest) return node.closest(selector);
			while (this.elem(node)) { if (this.matches(node, selector)) return node; node = node.parentNode; }
			return null;
		},
		append: function(node, children) {
			if (!this.elem(node)) return null;
			if (Array.isArray(children)) {
				for (var i = 0; i < children.length; i++)
					if (this.elem(children[i])) node.appendChild(children[i]);
					else if (children !== null && children[i] !== null && children[i] !== undefined)
						node.appendChild(document.createTextNode('' + children[i]));
				return node.lastChild;
			}
			else if (typeof(children) === 'function') {
				return this.append(node, children(node));
			}
			else if (this.elem(children)) {
				return node.appendChild(children);
			}
			else if (children !== null && children !== undefined) {
				node.innerHTML = '' + children;
				return node.lastChild;
			}
			return null;
		},
		content: function(node, children) {
			if (!this.elem(node)) return null;
			var dataNodes = node.querySelectorAll('[data-idref]');
			for (var i = 0; i < dataNodes.length; i++) delete this.registry[dataNodes[i].getAttribute('data-idref')];
			while (node.firstChild) node.removeChild(node.firstChild);
			return this.append(node, children);
		},
		attr: function(node, key, val) {
			if (!this.elem(node)) return null;
			var attr = null;
			if (typeof(key) === 'object' && key !== null) attr = key;
			else if (typeof(key) === 'string') { attr = {}; attr[key] = val; }
			for (key in attr) {
				if (!attr.hasOwnProperty(key) || attr[key] == null) continue;
				switch (typeof(attr[key])) {
				case 'function': node.addEventListener(key, attr[key]); break;
				case 'object': node.setAttribute(key, JSON.stringify(attr[key])); break;
				default: node.setAttribute(key, attr[key]);
				}
			}
		},
		create: function() {
			var html = arguments[0], attr = arguments[1], data = arguments[2], elem;
			if (!(attr instanceof Object) || Array.isArray(attr)) { data = attr; attr = null; }
			if (Array.isArray(html)) {
				elem = document.createDocumentFragment();
				for (var i = 0; i < html.length; i++) elem.appendChild(this.create(html[i]));
			}
			else if (this.elem(html)) { elem = html; }
			else if (html.charCodeAt(0) === 60) { elem = this.parse(html); }
			else { elem = document.createElement(html); }
			if (!elem) return null;
			this.attr(elem, attr);
			this.append(elem, data);
			return elem;
		},
		registry: {},
		data: function(node, key, val) {
			if (!node || !node.getAttribute) return null;
			var id = node.getAttribute('data-idref');
			if (arguments.length > 2 && val !== null) {
				if (id == null) { do { id = Math.floor(Math.random() * 0xffffffff).toString(16); } while (this.registry.hasOwnProperty(id)); node.setAttribute('data-idref', id); this.registry[id] = {}; }
				return (this.registry[id][key] = val);
			}
			if (arguments.length == 1) return (id != null) ? this.registry[id] : null;
			return (id != null && this.registry[id]) ? this.registry[id][key] : null;
		},
		bindClassInstance: function(node, inst) { this.data(node, '_class', inst); },
		findClassInstance: function(node) {
			var inst = null;
			do { inst = this.data(node, '_class'); node = node.parentNode; } while (!inst && node);
			return inst;
		},
		callClassMethod: function(node, method /*, ... */) {
			var inst = this.findClassInstance(node);
			if (inst == null || typeof(inst[method]) != 'function') return null;
			return inst[method].apply(inst, inst.varargs(arguments, 2));
		},
		isEmpty: function(node, ignoreFn) {
			for (var child = node.firstElementChild; child != null; child = child.nextElementSibling)
				if (!child.classList.contains('hidden') && (!ignoreFn || !ignoreFn(child))) return false;
			return true;
		}
	});

	/* ------------------------------------------------------------------ request */
	var Response = Class.extend({
		__init__: function(status, statusText, text, url) {
			this.status = status; this.statusText = statusText; this.ok = (status >= 200 && status <= 299);
			this.responseText = text; this.url = url;
		},
		text: function() { return this.responseText; },
		json: function() { return JSON.parse(this.responseText); }
	});
	var Request = Class.singleton({
		__name__: 'LuCI.request',
		request: function(target, options) {
			options = options || {};
			var body = options.content;
			var headers = Object.assign({}, options.headers || {});
			if (body != null && typeof(body) == 'object' && !(body instanceof FormData) && !(body instanceof Blob)) {
				body = JSON.stringify(body);
				headers['Content-Type'] = headers['Content-Type'] || 'application/json';
			}
			var url = target;
			if (options.query) {
				var q = Object.keys(options.query).map(function(k) { return encodeURIComponent(k) + '=' + encodeURIComponent(options.query[k]); }).join('&');
				url += (url.indexOf('?') > -1 ? '&' : '?') + q;
			}
			var ctrl = (typeof(AbortController) == 'function') ? new AbortController() : null;
			var timer = (options.timeout && ctrl) ? setTimeout(function() { ctrl.abort(); }, options.timeout) : null;
			return fetch(url, { method: options.method || 'GET', headers: headers, body: body,
			                    credentials: 'same-origin', signal: ctrl ? ctrl.signal : undefined })
				.then(function(res) { return res.text().then(function(t) {
					if (timer) clearTimeout(timer);
					return new Response(res.status, res.statusText, t, res.url);
				}); });
		},
		get: function(url, options) { return this.request(url, Object.assign({ method: 'GET' }, options)); },
		post: function(url, data, options) { return this.request(url, Object.assign({ method: 'POST', content: data }, options)); }
	});

	/* ------------------------------------------------------------------ poll */
	var Poll = Class.singleton({
		__name__: 'LuCI.poll',
		queue: [],
		add: function(fn, interval) {
			if (interval == null || interval <= 0) interval = (window.L && L.env.pollinterval) || 5;
			if (typeof(fn) !== 'function') throw new TypeError('Invalid argument to LuCI.poll.add()');
			for (var i = 0; i < this.queue.length; i++) if (this.queue[i].fn === fn) return false;
			var e = { r: true, i: interval, fn: fn };
			this.queue.push(e);
			if (this.tick != null && !this.active()) this.start();
			return true;
		},
		remove: function(fn) {
			var len = this.queue.length;
			this.queue = this.queue.filter(function(e) { return e.fn !== fn; });
			if (!this.queue.length && this.active()) this.stop();
			return len != this.queue.length;
		},
		start: function() {
			if (this.active()) return false;
			this.tick = 0;
			if (this.queue.length) { this.timer = window.setInterval(this.step.bind(this), 1000); this.step(); }
			return true;
		},
		stop: function() {
			if (!this.active()) return false;
			window.clearInterval(this.timer); delete this.timer; delete this.tick;
			return true;
		},
		step: function() {
			for (var i = 0, e = null; (e = this.queue[i]) != null; i++) {
				if ((this.tick % e.i) != 0) continue;
				if (!e.r) continue;
				e.r = false;
				Promise.resolve(e.fn()).finally((function() { this.r = true; }).bind(e));
			}
			this.tick = (this.tick + 1) % Math.pow(2, 32);
		},
		active: function() { return (this.timer != null); }
	});
	Poll.tick = 0;

	/* ------------------------------------------------------------------ view */
	var View = Class.extend({
		__name__: 'LuCI.view',
		__init__: function() {
			var vp = document.getElementById('view');
			DOM.content(vp, E('div', { 'class': 'spinning' }, _('Loading view…')));
			return Promise.resolve(this.load())
				.then(this.render.bind(this))
				.then((function(nodes) {
					var vp = document.getElementById('view');
					DOM.content(vp, nodes);
					DOM.append(vp, this.addFooter());
				}).bind(this)).catch(function(err) { L.error(err); });
		},
		load: function() {},
		render: function() {},
		handleSave: function() {},
		handleSaveApply: function() {},
		handleReset: function() { location.href = location.href; },
		addFooter: function() {
			var footer = E([]);
			if (this.handleSaveApply || this.handleSave || this.handleReset) {
				footer.appendChild(E('div', { 'class': 'cbi-page-actions' }, [
					this.handleSaveApply ? E('button', { 'class': 'btn cbi-button cbi-button-apply', 'click': (function(ev) { return this.handleSaveApply(ev); }).bind(this) }, _('Save & Apply')) : '', ' ',
					this.handleSave ? E('button', { 'class': 'btn cbi-button cbi-button-save', 'click': (function(ev) { return this.handleSave(ev); }).bind(this) }, _('Save')) : '', ' ',
					this.handleReset ? E('button', { 'class': 'btn cbi-button cbi-button-reset', 'click': (function(ev) { return this.handleReset(ev); }).bind(this) }, _('Reset')) : ''
				]));
			}
			return footer;
		}
	});

	/* ------------------------------------------------------------------ L */
	var classes = { baseclass: Class, dom: DOM, poll: Poll, request: Request, view: View };

	var LuCI = Class.extend({
		__name__: 'LuCI',
		__init__: function(setenv) {
			this.env = Object.assign({ pollinterval: 5, rpctimeout: 20, resource: '/luci-static/resources',
			                           scriptname: '/cgi-bin/luci', sessionid: '00000000000000000000000000000000' }, setenv || {});
			window.L = this;
			this.Class = Class; this.dom = DOM; this.Poll = Poll; this.Request = Request; this.view = View;
		},
		raise: function(type, fmt /*, ... */) {
			var e = null, msg = fmt ? String.prototype.format.apply(fmt, this.varargs(arguments, 2)) : null;
			var Cls = window[type] || Error;
			e = new Cls(msg || 'Unspecified error');
			if (!window[type]) e.name = type || 'Error';
			throw e;
		},
		error: function(type, fmt /*, ... */) {
			try {
				if (type instanceof Error) throw type;
				this.raise.apply(this, Array.prototype.slice.call(arguments));
			} catch (e) {
				if (!e.reported) {
					var vp = document.getElementById('view') || document.body;
					DOM.content(vp, E('div', { 'class': 'alert-message error' }, [ E('h4', {}, _('Unhandled exception')), E('pre', {}, e.message || String(e)) ]));
					if (window.console) console.error(e);
					e.reported = true;
				}
				throw e;
			}
		},
		bind: function(fn, self /*, ... */) { return Function.prototype.bind.apply(fn, this.varargs(arguments, 2, self)); },
		require: function(name, from) {
			var L = this, url = null;
			from = from || [];
			if (classes[name] != null) {
				if (from.indexOf(name) != -1) L.raise('DependencyError', 'Circular dependency: class "%s" depends on "%s"', name, from.join('" which depends on "'));
				return Promise.resolve(classes[name]);
			}
			url = '%s/%s.js'.format(L.env.resource, name.replace(/\./g, '/'));
			from = [ name ].concat(from);
			var compileClass = function(res) {
				if (!res.ok) L.raise('NetworkError', 'HTTP error %d while loading class file "%s"', res.status, url);
				var source = res.text(), depends = [], args = '';
				/* the directive prologue: leading string literal statements */
				var re = /^\s*(?:\/\*[\s\S]*?\*\/\s*|\/\/[^\n]*\n\s*)*(['"])([^'"\n]*)\1\s*;?/, rest = source, m;
				while ((m = re.exec(rest)) != null) {
					var d = m[2].trim().split(/\s+/);
					if (d[0] == 'require' && (d.length == 2 || (d.length == 4 && d[2] == 'as'))) {
						var dep = d[1], as = (d.length == 4) ? d[3] : dep.replace(/[^a-zA-Z0-9_]/g, '_');
						depends.push(L.require(dep, from));
						args += ', ' + as;
					}
					else if (!(d[0] == 'use' && d[1] == 'strict')) {
						break;
					}
					rest = rest.substring(m[0].length);
				}
				return Promise.all(depends).then(function(instances) {
					var factory;
					try {
						factory = (new Function('return (function(window, document, L' + args + ') {\n' + source + '\n})\n//# sourceURL=' + url))();
					}
					catch (e) { L.raise('SyntaxError', '%s\n  in %s', e.message, url); }
					var cls = factory.apply(factory, [ window, document, L ].concat(instances));
					if (!Class.isSubclass(cls)) L.error('TypeError', '"%s" factory yields invalid constructor', name);
					var instance = new cls();
					var ptr = L, parts = name.split(/\./);
					for (var i = 0; i < parts.length - 1; i++) { ptr[parts[i]] = ptr[parts[i]] || {}; ptr = ptr[parts[i]]; }
					ptr[parts[parts.length - 1]] = instance;
					classes[name] = instance;
					return instance;
				});
			};
			classes[name] = Request.get(url, { cache: true }).then(compileClass);
			return classes[name];
		},
		resolveDefault: function(value, defvalue) {
			return Promise.resolve(value).catch(function() { return defvalue; });
		},
		toArray: function(val) {
			if (val == null) return [];
			if (Array.isArray(val)) return val;
			if (typeof(val) == 'object') return [ val ];
			var s = String(val).trim();
			return (s != '') ? s.split(/\s+/) : [];
		},
		isObject: function(val) { return (val != null && typeof(val) == 'object'); },
		isArguments: function(val) { return Object.prototype.toString.call(val) == '[object Arguments]'; },
		sortedKeys: function(obj, key, sortmode) {
			if (obj == null || typeof(obj) != 'object') return [];
			return Object.keys(obj).map(function(e) { return [ e, (key != null) ? obj[e][key] : e ]; })
				.sort(function(a, b) { return (a[1] > b[1]) - (a[1] < b[1]); }).map(function(e) { return e[0]; });
		},
		path: function(prefix, parts) {
			var url = [ prefix || '' ];
			for (var i = 0; i < parts.length; i++)
				if (/^(?:[a-zA-Z0-9_.%,;-]+\/)*[a-zA-Z0-9_.%,;-]+$/.test(parts[i])) url.push('/', parts[i]);
			if (url.length === 1) url.push('/');
			return url.join('');
		},
		url: function() { return this.path(this.env.scriptname, arguments); },
		resource: function() { return this.path(this.env.resource, arguments); },
		media: function() { return this.path(this.env.media || this.env.resource, arguments); },
		location: function() { return this.path(this.env.scriptname, this.env.requestpath); },
		hasViewPermission: function() {
			if (!this.isObject(this.env.nodespec) || !this.env.nodespec.satisfied) return null;
			return !this.env.nodespec.readonly;
		},
		/* LuCI: a -32002 whose session no longer answers `session access` means the login
		 * expired — a modal asks for a new one (luci.js notifySessionExpiry) */
		notifySessionExpiry: function() {
			Poll.stop();
			L.require('ui').then(function(ui) {
				ui.showModal(_('Session expired'), [
					E('div', { 'class': 'alert-message warning' }, _('A new login is required since the authentication session expired.')),
					E('div', { 'class': 'right' }, E('div', { 'class': 'btn primary', 'click': function() {
						var loc = window.location;
						window.location = loc.protocol + '//' + loc.host + loc.pathname + loc.search;
					} }, _('Log in…'))) ]);
			});
			L.raise('SessionError', 'Login session is expired');
		},
		halt: function() { Poll.stop(); },
		run: function() { Poll.start(); }
	});

	window.LuCI = LuCI;
	window.E = function() { return DOM.create.apply(DOM, arguments); };
	window._ = function(s) { return (window.TR && window.TR[s]) || s; };
	window.N_ = function(n, s, p) { return (n == 1) ? _(s) : _(p); };
	document.addEventListener('DOMContentLoaded', function() { Poll.start(); });
})(window, document);
