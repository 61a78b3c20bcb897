'use strict';
'require baseclass';
'require request';

/*
 * Preview shim of LuCI's rpc module (the public rpc.declare/rpc.list API), written for the
 * wifimgr dev server. Calls made in one tick are batched into one POST to L.url('admin/ubus').
 */

var rpcRequestID = 1, rpcQueue = [], rpcTimer = null;

var STATUS = {
	0: 'Command OK', 1: 'Invalid command', 2: 'Invalid argument', 3: 'Method not found',
	4: 'Resource not found', 5: 'No data received', 6: 'Permission denied', 7: 'Request timeout',
	8: 'Not supported', 9: 'Unspecified error', 10: 'Connection lost'
};

return baseclass.extend({
	getStatusText: function(code) { return STATUS[code] || _('Unknown error code'); },

	getSessionID: function() { return L.env.sessionid; },
	setSessionID: function(sid) { L.env.sessionid = sid; },
	getBaseURL: function() { return L.url('admin/ubus'); },

	flush: function() {
		var batch = rpcQueue; rpcQueue = []; rpcTimer = null;
		if (!batch.length) return;
		var body = batch.map(function(r) { return r.msg; });
		var names = batch.map(function(r) { return r.msg.params ? (r.msg.params[1] + '.' + r.msg.params[2]) : 'list'; });
		var self = this;
		request.post(this.getBaseURL() + '/' + names.join(';'), body.length == 1 ? body[0] : body,
		             { timeout: (L.env.rpctimeout || 20) * 1000 })
			.then(function(res) {
				var replies;
				try { replies = res.json(); } catch (e) { replies = null; }
				if (!Array.isArray(replies)) replies = [ replies ];
				batch.forEach(function(r, i) {
					var reply = (body.length == 1) ? replies[0] : replies[i];
					self.intercept(r, reply).then(function() { self.handleCallReply(r, reply); }, r.reject);
				});
			}).catch(function(err) { batch.forEach(function(r) { r.reject(err); }); });
	},

	call: function(msg, req) {
		return new Promise((function(resolve, reject) {
			req.resolve = resolve; req.reject = reject; req.msg = msg;
			rpcQueue.push(req);
			if (rpcTimer == null) rpcTimer = window.setTimeout(this.flush.bind(this), 0);
		}).bind(this));
	},

	/* LuCI's own -32002 handling (luci.js setupDOM's rpc interceptor): ask whether the session
	 * still reads `uci luci`; if that call fails the login has expired and a modal says so.
	 * A denied call of a live session just fails — the caller shows it. */
	intercept: function(req, res) {
		if (!L.isObject(res) || !L.isObject(res.error) || res.error.code != -32002)
			return Promise.resolve();
		if (req.object == 'session' && req.method == 'access')
			return Promise.resolve();
		return this.declare({ object: 'session', method: 'access', params: [ 'scope', 'object', 'function' ],
		                      expect: { access: true } })('uci', 'luci', 'read')
			.catch(function() { L.notifySessionExpiry(); });
	},

	handleCallReply: function(req, res) {
		var type = Object.prototype.toString, ret = null;
		try {
			if (!L.isObject(res) || res.jsonrpc != '2.0')
				L.raise('RPCError', 'RPC call to %s/%s returned invalid message frame', req.object, req.method);
			if (L.isObject(res.error) && res.error.code && res.error.message) {
				L.raise('RPCError', 'RPC call to %s/%s failed with error %d: %s', req.object, req.method, res.error.code, res.error.message);
			}
		} catch (e) { return req.reject(e); }
		if (!req.object && !req.method) {
			ret = res.result;
		}
		else if (Array.isArray(res.result)) {
			if (req.raise && res.result[0] !== 0) {
				try { L.raise('RPCError', 'RPC call to %s/%s failed with ubus code %d: %s', req.object, req.method, res.result[0], this.getStatusText(res.result[0])); }
				catch (e) { return req.reject(e); }
			}
			ret = (res.result.length > 1) ? res.result[1] : res.result[0];
		}
		if (req.expect) {
			for (var key in req.expect) {
				if (ret != null && key != '') ret = ret[key];
				if (ret == null || type.call(ret) != type.call(req.expect[key])) ret = req.expect[key];
				break;
			}
		}
		if (typeof(req.filter) == 'function') {
			req.priv[0] = ret; req.priv[1] = req.params;
			ret = req.filter.apply(this, req.priv);
		}
		req.resolve(ret);
	},

	list: function() {
		var msg = { jsonrpc: '2.0', id: rpcRequestID++, method: 'list', params: arguments.length ? Array.prototype.slice.call(arguments) : undefined };
		return this.call(msg, {});
	},

	declare: function(options) {
		var self = this;
		return function() {
			var params = {}, priv = [ null, null ];
			var argnames = Array.isArray(options.params) ? options.params : [];
			for (var i = 0; i < arguments.length; i++) {
				if (i < argnames.length) { if (arguments[i] !== undefined) params[argnames[i]] = arguments[i]; }
				else priv.push(arguments[i]);
			}
			var msg = { jsonrpc: '2.0', id: rpcRequestID++, method: 'call',
			            params: [ L.env.sessionid || '00000000000000000000000000000000', options.object, options.method, params ] };
			var req = { expect: options.expect, filter: options.filter, params: params, priv: priv,
			            object: options.object, method: options.method, raise: options.reject };
			return self.call(msg, req);
		};
	}
});
