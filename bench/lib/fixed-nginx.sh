# Sourced by bench scripts: the fixed upstream (one nginx worker answering a canned chat completion)
# and nginx as a plain reverse proxy in front of it (two workers, keep-alive to the upstream), the
# pair every gateway benchmark compares against. Loopback only; pid files in the work directory.

# start_fixed_nginx WORK_DIR UPSTREAM_PORT PROXY_PORT
start_fixed_nginx() {
  local work="$1" up="$2" proxy="$3"
  local json='{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"frontier-x","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}'
  cat > "$work/up.conf" <<CONF
worker_processes 1; pid $work/up.pid; error_log $work/up.err warn; events { worker_connections 4096; }
http { access_log off; server { listen 127.0.0.1:$up; keepalive_requests 1000000;
  location / { default_type application/json; return 200 '$json'; } } }
CONF
  cat > "$work/px.conf" <<CONF
worker_processes 2; pid $work/px.pid; error_log $work/px.err warn; events { worker_connections 4096; }
http { access_log off; upstream fixed { server 127.0.0.1:$up; keepalive 64; }
  server { listen 127.0.0.1:$proxy; keepalive_requests 1000000;
    location / { proxy_pass http://fixed; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering on; } } }
CONF
  nginx -c "$work/up.conf" -p "$work" -g 'daemon on;'
  nginx -c "$work/px.conf" -p "$work" -g 'daemon on;'
}

# write_gateway_config FILE DATA_DIR GATEWAY_PORT ADMIN_PORT UPSTREAM_PORT: the gateway every such
# benchmark measures (the four example directives, the example principals, SQLite, every decision
# durable) in front of the fixed upstream. Needs $root, the checkout whose examples it names. WARMUP, when
# set, is written as server.warmup (e.g. 0s: listen at once; unset: the default).
write_gateway_config() {
  cat > "$1" <<CONF
data_dir: $2
server: { host: 127.0.0.1, port: $3${WARMUP:+, warmup: $WARMUP} }
admin: { host: 127.0.0.1, port: $4, token: bench-admin-token }
directives: $root/examples/directives
principals: $root/examples/principals.jsonl
upstreams:
  - name: fixed
    base_url: http://127.0.0.1:$5
    models: ["*"]
    model_ids: [frontier-x]
    list_models: false
CONF
}

# write_post_lua FILE [KEY]: the wrk script every such benchmark sends: alice's chat completion on
# frontier-x, POST, with KEY as bearer (without one, read from $KEY when wrk runs).
write_post_lua() {
  local auth='os.getenv("KEY")'
  [ -n "${2:-}" ] && auth="\"$2\""
  cat > "$1" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"frontier-x","messages":[{"role":"user","content":"hi"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. $auth
LUA
}
