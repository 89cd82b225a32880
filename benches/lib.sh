# Shell helpers the benchmark scripts source (not run on its own).

# median: the median of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# field FILE KEY: one top-level value of a JSON file (an index summary).
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }

# serve_start BIN INDEX WORK: starts `BIN --index INDEX serve` on a free
# loopback port, stopped (and WORK removed) when the script exits; sets
# `server` (its pid) and `url` (http://127.0.0.1:PORT).
serve_start() {
  "$1" --index "$2" serve --bind 127.0.0.1:0 > "$3/serve.out" 2> "$3/serve.err" &
  server=$!
  trap 'kill "$server" 2> /dev/null; wait "$server" 2> /dev/null; rm -rf "'"$3"'"' EXIT
  for _ in $(seq 100); do grep -q http "$3/serve.out" 2> /dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://[^ ]*' "$3/serve.out"); url=${url%/}
}

# machine: the "Machine: ..." line every report starts with, load included
# (on a shared machine the load says how far to trust wall times).
machine() {
  echo "Machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
}

# corpora_bench: setup of the benchmarks over ../shared/corpora (run from
# the repository root): sets `bin` (the release binary, built when
# missing), `corpora` and `work` (a temporary folder removed at exit);
# exits 0 with a notice when the corpora are absent.
corpora_bench() {
  bin=target/release/newsdex
  corpora=../shared/corpora
  [ -d "$corpora" ] || { echo "notice: $corpora is absent; nothing to measure"; exit 0; }
  [ -x "$bin" ] || cargo build --release --locked
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
}
