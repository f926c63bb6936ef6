#!/usr/bin/env bash
# neo4j/neo4j.sh up|down|reset|status: a local Neo4j 5.26 Community for
# development and CI, run embedded by neo4j/Launcher.java from Maven Central
# jars. No Docker, no Neo4j install. See neo4j/README.md.
#
# Environment: NEO4J_PORT (7687), NEO4J_PASSWORD (importer-local),
# NEO4J_HEAP (4g), NEO4J_HOME_DIR (.neo4j: data, logs, pid file),
# NEO4J_START_TIMEOUT (180 seconds), NEO4J_TLS_DIR (unset: plaintext Bolt;
# set: Bolt over TLS with DIR/private.key and DIR/public.crt), NEO4J_JAVA_OPTS
# (extra JVM options, split on spaces, after the defaults so they win: e.g.
# -XX:StartFlightRecording=filename=neo4j.jfr,settings=profile), GO (go).
set -euo pipefail

cd "$(dirname "$0")/.."
PORT=${NEO4J_PORT:-7687}
export NEO4J_PORT=$PORT
export NEO4J_PASSWORD=${NEO4J_PASSWORD:-importer-local}
# With TLS the pings speak TLS too, accepting the local certificate (+ssc).
SCHEME=neo4j
[[ -n ${NEO4J_TLS_DIR:-} ]] && SCHEME=neo4j+ssc
export NEO4J_URI=${NEO4J_URI:-$SCHEME://127.0.0.1:$PORT}
HEAP=${NEO4J_HEAP:-4g}
TIMEOUT=${NEO4J_START_TIMEOUT:-180}
GO=${GO:-go}
export NEO4J_HOME_DIR=${NEO4J_HOME_DIR:-.neo4j}
STATE=$NEO4J_HOME_DIR
PIDFILE=$STATE/neo4j.pid
LOG=$STATE/neo4j.log
CLASSPATH_FILE=$STATE/classpath.txt
PING=bin/neo4j-ping
# Full coordinates: a clearer error than prefix resolution when offline.
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

say() { echo "neo4j: $*"; }
die() { echo "neo4j: $*" >&2; exit 1; }

# pid prints the pid of our launcher if it is alive. The launcher writes the
# pid file itself too, so one started by hand is found as well.
pid() {
	[[ -f $PIDFILE ]] || return 1
	local p
	p=$(<"$PIDFILE")
	[[ -n $p ]] && kill -0 "$p" 2>/dev/null && grep -q Launcher.java "/proc/$p/cmdline" 2>/dev/null || return 1
	echo "$p"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

build_ping() {
	if [[ ! -x $PING || neo4j/ping/main.go -nt $PING || neo4j/ping/go.mod -nt $PING ]]; then
		command -v "$GO" >/dev/null || die "go is not installed (needed to build $PING)"
		(cd neo4j/ping && "$GO" build -o "../../$PING" .) || die "could not build $PING"
	fi
}

# ping_quiet: 0 answers, 1 unreachable, 2 answers but rejects the password.
ping_quiet() { "$PING" 2>/dev/null; }

# mark marks the local Neo4j's default database as the repo's test
# database (an index named importer_test_database): the tests clear only a
# database so marked, or the one IMPORTER_TEST_NEO4J names.
mark() {
	NEO4J_URI=$SCHEME://127.0.0.1:$PORT "$PING" mark || die "could not mark the local Neo4j as the test database"
}

wrong_password() {
	die "Neo4j on port $PORT rejects NEO4J_PASSWORD; it was started with another one (restart it: make neo4j-down neo4j-up)"
}

# classpath resolves the Neo4j jars with Maven, once; again when the pom
# changes or a jar has gone from the Maven cache.
classpath() {
	local ok=1 jar
	if [[ -s $CLASSPATH_FILE && ! neo4j/pom.xml -nt $CLASSPATH_FILE ]]; then
		IFS=: read -ra jars <"$CLASSPATH_FILE" || true # no final newline
		for jar in "${jars[@]}"; do [[ -f $jar ]] || { ok=0; break; }; done
	else
		ok=0
	fi
	((ok)) && return 0
	say "resolving the Neo4j classpath with Maven (first run downloads ~150 MB from Maven Central)"
	if ! mvn -q -B -Dstyle.color=never -f neo4j/pom.xml "$DEPENDENCY_PLUGIN:build-classpath" \
		-Dmdep.outputFile="$(realpath -m "$CLASSPATH_FILE.tmp")" >"$STATE/mvn.log" 2>&1; then
		tail -n 20 "$STATE/mvn.log" >&2
		die "Maven could not resolve org.neo4j:neo4j 5.26.19 (can it reach Maven Central? proxy in ~/.m2/settings.xml?); full output in $STATE/mvn.log"
	fi
	mv "$CLASSPATH_FILE.tmp" "$CLASSPATH_FILE"
}

up() {
	local p rc=0
	if p=$(pid); then
		build_ping
		ping_quiet || rc=$?
		case $rc in
		0) say "already running (pid $p) and answering on bolt://127.0.0.1:$PORT"; mark; return 0 ;;
		2) wrong_password ;;
		esac
		say "already starting (pid $p), waiting for it"
		wait_ready "$p" no
		return
	fi
	command -v java >/dev/null || die "java is not installed (need Java 17+: apt-get install -y openjdk-17-jdk-headless)"
	command -v mvn >/dev/null || die "mvn is not installed (need Maven 3.8+: apt-get install -y maven)"
	mkdir -p "$STATE" bin
	build_ping
	if port_open; then
		ping_quiet && say "a Neo4j answers there with our password: a leftover launcher? see: pgrep -af Launcher.java" >&2
		die "port $PORT is already taken by something that is not our Neo4j (no live $PIDFILE); stop it or set NEO4J_PORT"
	fi
	classpath
	[[ -f $LOG ]] && mv "$LOG" "$LOG.1"
	local -a extra=()
	read -ra extra <<<"${NEO4J_JAVA_OPTS:-}"
	say "starting Neo4j 5.26.19 on bolt://127.0.0.1:$PORT (heap $HEAP, data $STATE/data, log $LOG${NEO4J_JAVA_OPTS:+, JVM options $NEO4J_JAVA_OPTS})"
	nohup java -Xms1g "-Xmx$HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
		-XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC \
		-Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true \
		-Dlog4j2.disable.jmx=true \
		--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
		--add-opens=java.base/sun.nio.ch=ALL-UNNAMED "${extra[@]}" \
		-cp "$(<"$CLASSPATH_FILE")" neo4j/Launcher.java </dev/null >"$LOG" 2>&1 &
	echo $! >"$PIDFILE"
	wait_ready $! yes
}

# wait_ready PID OURS waits until Bolt answers a query, the launcher dies, or
# TIMEOUT; then it stops the launcher if OURS is yes (we started it).
wait_ready() {
	local p=$1 ours=$2 start=$SECONDS elapsed next=5 rc
	while :; do
		elapsed=$((SECONDS - start))
		if ! kill -0 "$p" 2>/dev/null; then
			rm -f "$PIDFILE"
			echo "neo4j: Neo4j exited during startup; last lines of $LOG:" >&2
			tail -n 30 "$LOG" >&2
			grep -h '^\[launcher\] startup failed' "$LOG" >&2 || true
			exit 1
		fi
		# Ping only once the launcher has set the password: failed logins
		# before that would trip Neo4j's login rate limit and slow us down.
		if [[ $ours == no ]] || grep -qs '^\[launcher\] ready' "$LOG"; then
			rc=0
			ping_quiet || rc=$?
			case $rc in
			0) say "up after ${elapsed}s (pid $p): bolt://127.0.0.1:$PORT user neo4j"; mark; return 0 ;;
			2) wrong_password ;;
			esac
		fi
		if ((elapsed >= TIMEOUT)); then
			echo "neo4j: no answer on bolt://127.0.0.1:$PORT after ${TIMEOUT}s; last lines of $LOG:" >&2
			tail -n 40 "$LOG" >&2
			"$PING" >&2 || true
			[[ $ours == yes ]] && down
			exit 1
		fi
		if ((elapsed >= next)); then
			say "waiting for Neo4j to answer (${elapsed}s of ${TIMEOUT}s)"
			next=$((elapsed + 5))
		fi
		sleep 1
	done
}

down() {
	local p i
	if ! p=$(pid); then
		rm -f "$PIDFILE"
		say "not running"
		port_open && say "note: something else listens on port $PORT; not ours, left alone"
		return 0
	fi
	say "stopping (pid $p)"
	kill -TERM "$p"
	for ((i = 0; i < 60; i++)); do
		kill -0 "$p" 2>/dev/null || { rm -f "$PIDFILE"; say "stopped"; return 0; }
		sleep 1
	done
	say "still running after 60s, sending SIGKILL"
	kill -KILL "$p" 2>/dev/null || true
	rm -f "$PIDFILE"
}

status() {
	local p
	if p=$(pid); then
		build_ping
		if ping_quiet; then
			say "running (pid $p), answering on bolt://127.0.0.1:$PORT"
			return 0
		fi
		say "running (pid $p) but not answering on bolt://127.0.0.1:$PORT"
		return 1
	fi
	say "not running"
	return 1
}

case ${1:-} in
up) up ;;
down) down ;;
reset) down && rm -rf "$STATE/data" && say "deleted $STATE/data" ;;
status) status ;;
*) die "usage: neo4j/neo4j.sh up|down|reset|status" ;;
esac
